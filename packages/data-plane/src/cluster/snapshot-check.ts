import { fieldPath, gatewayConfig, type GatewayConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import type { ConfigPieces } from './config-pieces';

/** A snapshot's config checked against the protocol schema and its announced hash. */
export type ConfigCheck = { ok: true; config: GatewayConfig } | { ok: false; error: string };

/**
 * Validates a snapshot's config with the protocol schema and checks that it
 * hashes to `hash`. The hash covers the config exactly as sent: defaults
 * filled in by parsing must not change it. The error texts are what the DP
 * answers in `rejected`.
 */
export function checkSnapshotConfig(raw: unknown, hash: string): ConfigCheck {
  const parsed = gatewayConfig.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.slice(0, 20).map((i) => `${fieldPath(i.path)}: ${i.message}`);
    return { ok: false, error: `config does not match the schema: ${details.join('; ')}` };
  }
  const actual = configHash(raw);
  if (actual !== hash) return { ok: false, error: `config hashes to ${actual}, not to the announced ${hash}` };
  return { ok: true, config: parsed.data };
}

/**
 * The outcome of checking a config off the event loop: the validated config
 * in pieces to parse back a turn at a time, and the config cache's file
 * content (`{version, hash, config}` with the config as received).
 */
export type OffThreadCheck = { ok: true; pieces: ConfigPieces; cacheJson: string } | { ok: false; error: string };

/**
 * Stands in for a snapshot's `config` when the frame was decoded and the
 * config checked on the snapshot thread (cluster/frame-decoder.ts):
 * `applySnapshot` then takes the check's outcome instead of checking again.
 */
export class CheckedConfig {
  constructor(readonly check: OffThreadCheck) {}
}
