import { fieldPath, gatewayConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import { cacheFileText } from '../cache/config-cache';
import { splitConfig } from './pieces';
import type { IncomingSnapshot } from './prepared';

/**
 * Checks a snapshot's config the way every DP must before compiling it —
 * the protocol schema, then the SHA-256 canonical-JSON hash against the
 * announced `hash` — and prepares it for the pipeline: split into pieces,
 * and serialized for the config cache. The hash covers the config exactly
 * as sent: defaults filled in by parsing must not change it, which is why
 * the cache text holds `raw`, not the parsed config. The error texts are
 * what the DP answers in `rejected`. CPU-heavy for a big config (schema,
 * hash, two serializations): run on the snapshot thread for gzip frames.
 */
export function prepareSnapshot(version: number, hash: string, raw: unknown): IncomingSnapshot {
  const parsed = gatewayConfig.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, 20).map((i) => `${fieldPath(i.path)}: ${i.message}`);
    return { kind: 'refused', version, hash, error: `config does not match the schema: ${details.join('; ')}` };
  }
  const actual = configHash(raw);
  if (actual !== hash) return { kind: 'refused', version, hash, error: `config hashes to ${actual}, not to the announced ${hash}` };
  return { kind: 'prepared', version, hash, pieces: splitConfig(parsed.data), cacheText: cacheFileText(version, hash, raw) };
}
