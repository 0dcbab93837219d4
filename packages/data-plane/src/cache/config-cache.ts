import fs from 'node:fs';
import path from 'node:path';
import { gatewayConfig, type GatewayConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import type { Logger } from '../logging';
import { writeFileAtomic } from './atomic-write';

/** What the cache holds: the last applied snapshot, as the CP sent it. */
export interface CachedConfig {
  version: number;
  hash: string;
  config: GatewayConfig;
}

/** A snapshot to cache, already serialized (off the event loop) with `cacheFileText`. */
export interface CacheEntry {
  readonly version: number;
  readonly hash: string;
  readonly cacheText: string;
}

/**
 * The cache file's content: `{version, hash, config}`. `config` must be the
 * config exactly as the CP sent it (not re-parsed with defaults filled in),
 * so that it still hashes to `hash` when `load` checks it.
 */
export function cacheFileText(version: number, hash: string, config: unknown): string {
  return JSON.stringify({ version, hash, config });
}

/**
 * The config cache in `<dir>/config.json`. `load` answers only a cache whose
 * config passes the protocol schema and whose hash matches its content;
 * anything else is logged and ignored (the DP then starts empty). `save`
 * never throws: a failed write (disk full, read-only dir) is logged and the
 * DP keeps serving from memory.
 */
export class ConfigCache {
  readonly file: string;

  constructor(
    readonly dir: string,
    private readonly log: Logger,
  ) {
    this.file = path.join(dir, 'config.json');
  }

  /** Reads and checks the cache; `null` when there is none or it cannot be trusted. */
  load(): CachedConfig | null {
    this.removeStaleTemporaries();
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log.warn({ event: 'config_cache_unreadable', file: this.file, err: (err as Error).message });
      }
      return null;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      this.log.warn({ event: 'config_cache_invalid', file: this.file, reason: `not JSON: ${(err as Error).message}` });
      return null;
    }
    const envelope = raw as { version?: unknown; hash?: unknown; config?: unknown } | null;
    if (!envelope || typeof envelope.version !== 'number' || typeof envelope.hash !== 'string') {
      this.log.warn({ event: 'config_cache_invalid', file: this.file, reason: 'missing version or hash' });
      return null;
    }
    const parsed = gatewayConfig.safeParse(envelope.config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.log.warn({ event: 'config_cache_invalid', file: this.file, reason: `config.${issue?.path.join('.')}: ${issue?.message}` });
      return null;
    }
    // The hash is over what the CP sent; checking the raw config catches a file edited or truncated by hand.
    const actual = configHash(envelope.config);
    if (actual !== envelope.hash) {
      this.log.warn({ event: 'config_cache_invalid', file: this.file, reason: 'hash does not match the config', expected: envelope.hash, actual });
      return null;
    }
    return { version: envelope.version, hash: envelope.hash, config: parsed.data };
  }

  /**
   * A DP killed in the middle of a write (kill -9, power cut) leaves its
   * temporary file behind; each can be as big as a snapshot, so they are
   * removed when the cache is loaded at start-up (one DP per DP dir).
   */
  private removeStaleTemporaries(): void {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    const prefix = `.${path.basename(this.file)}.`;
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      try {
        fs.rmSync(path.join(this.dir, name), { force: true });
        this.log.info({ event: 'config_cache_temporary_removed', file: name });
      } catch (err) {
        this.log.warn({ event: 'config_cache_temporary_not_removed', file: name, err: (err as Error).message });
      }
    }
  }

  /** Writes the entry's text atomically; resolves `true` once it is on disk, `false` (logged) if it could not be. */
  async save(entry: CacheEntry): Promise<boolean> {
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      await writeFileAtomic(this.file, entry.cacheText);
      this.log.debug({ event: 'config_cache_written', file: this.file, version: entry.version, hash: entry.hash });
      return true;
    } catch (err) {
      this.log.error({ event: 'config_cache_write_failed', file: this.file, version: entry.version, hash: entry.hash, err: (err as Error).message });
      return false;
    }
  }
}
