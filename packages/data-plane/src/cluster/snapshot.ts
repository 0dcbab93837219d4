import { gatewayConfig, fieldPath, type CpMessage, type GatewayConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import type { Logger } from 'pino';
import type { ClusterConfigCache, ClusterEngine } from './ports';

type SnapshotMessage = Extract<CpMessage, { type: 'snapshot' }>;

/** The answer to a snapshot, as sent back to the CP. */
export type SnapshotOutcome =
  | { type: 'applied'; version: number; hash: string }
  | { type: 'rejected'; version: number; hash: string; error: string };

const MAX_ERROR_LENGTH = 10_000;

/**
 * Applies one snapshot: validates the config with the protocol schema, checks
 * that it hashes to `hash`, compiles and swaps it in through the engine, and
 * writes it to the cache — all before the answer is returned, so `applied`
 * always means "serving, and (disk permitting) will serve again after a
 * restart". Any failure answers `rejected` and leaves the previous config
 * serving. A snapshot whose hash is already serving is acknowledged without
 * being applied again.
 */
export async function applySnapshot(message: SnapshotMessage, engine: ClusterEngine, cache: ClusterConfigCache, log: Logger): Promise<SnapshotOutcome> {
  const { version, hash } = message;
  const started = performance.now();
  if (engine.current()?.hash === hash) return { type: 'applied', version, hash };
  const reject = (error: string): SnapshotOutcome => {
    const trimmed = error.slice(0, MAX_ERROR_LENGTH);
    log.warn({ event: 'snapshot_rejected', version, hash, error: trimmed }, `snapshot ${version} rejected: ${trimmed}`);
    return { type: 'rejected', version, hash, error: trimmed };
  };

  const parsed = gatewayConfig.safeParse(message.config);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, 20).map((i) => `${fieldPath(i.path)}: ${i.message}`);
    return reject(`config does not match the schema: ${details.join('; ')}`);
  }
  // The hash covers the config exactly as sent: defaults filled in by parsing must not change it.
  const actual = configHash(message.config);
  if (actual !== hash) return reject(`config hashes to ${actual}, not to the announced ${hash}`);
  try {
    engine.apply(parsed.data, { version, hash });
  } catch (err) {
    return reject(`config cannot be applied: ${(err as Error).message}`);
  }
  // Cached as received (it passed the schema above), so the cache's own hash check holds at the next start.
  // A failed write is logged by the cache; the config is serving, so `applied` is still the truth.
  await cache.save({ version, hash, config: message.config as GatewayConfig });
  const durationMs = Math.round((performance.now() - started) * 100) / 100;
  log.info({ event: 'snapshot_applied', version, hash, duration_ms: durationMs }, `applied config version ${version}`);
  return { type: 'applied', version, hash };
}
