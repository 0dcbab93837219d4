import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { GatewayConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import type { BuiltConfig } from './build';

const gzipAsync = promisify(gzip);

/** Snapshots whose JSON is larger than this go as gzip binary frames. */
export const GZIP_THRESHOLD_BYTES = 64 * 1024;
/** The default cap on a snapshot frame after compression (docs/CLUSTER.md, Messages: `snapshot`). */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

/**
 * An immutable, consistency-checked snapshot of one runtime group: the config,
 * its hash (SHA-256 of canonical JSON), the group's config_version, the plugin
 * names it uses, and the ready-to-send `snapshot` message (a text frame, or a
 * gzip binary frame of the same JSON when large). Built once, sent to every DP.
 */
export interface Snapshot {
  runtimeGroupId: string;
  version: number;
  hash: string;
  config: GatewayConfig;
  plugins: ReadonlySet<string>;
  frame: string | Buffer;
  /** Size of the frame as sent (compressed when binary). */
  frameBytes: number;
}

/** The frame is over the cap: it is never sent, and the reason is logged. */
export class SnapshotTooLargeError extends Error {
  constructor(
    readonly runtimeGroupId: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`the snapshot of runtime group ${runtimeGroupId} is ${bytes} bytes compressed, over the ${limit}-byte cap`);
  }
}

/** Hashes and encodes a built config. Throws SnapshotTooLargeError over `maxBytes`. */
export async function makeSnapshot(runtimeGroupId: string, built: BuiltConfig, maxBytes = DEFAULT_MAX_SNAPSHOT_BYTES): Promise<Snapshot> {
  const hash = configHash(built.config);
  const json = JSON.stringify({ type: 'snapshot', version: built.version, hash, config: built.config });
  const jsonBytes = Buffer.byteLength(json);
  const frame = jsonBytes > GZIP_THRESHOLD_BYTES ? await gzipAsync(json) : json;
  const frameBytes = typeof frame === 'string' ? jsonBytes : frame.length;
  if (frameBytes > maxBytes) throw new SnapshotTooLargeError(runtimeGroupId, frameBytes, maxBytes);
  return {
    runtimeGroupId,
    version: built.version,
    hash,
    config: built.config,
    plugins: new Set(built.config.plugins.map((p) => p.name)),
    frame,
    frameBytes,
  };
}
