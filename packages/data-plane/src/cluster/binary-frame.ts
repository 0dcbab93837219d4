import zlib from 'node:zlib';
import type { CpMessage } from '@gatehouse/protocol';
import { splitConfig } from './config-pieces';
import { parseCpMessage } from './cp-message';
import { checkSnapshotConfig, type OffThreadCheck } from './snapshot-check';

/** A decompressed snapshot larger than this is refused rather than held in memory. */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/** What decoding a gzip frame answers; plain data, so it crosses threads by structured clone. */
export type BinaryFrameResult =
  | { kind: 'error'; error: string }
  | { kind: 'message'; message: CpMessage }
  | { kind: 'snapshot'; version: number; hash: string; check: OffThreadCheck };

/**
 * Decodes one gzip frame from the CP — decompress, parse, check the
 * envelope and, for a snapshot, check its config and split it into pieces —
 * synchronously: it runs on the snapshot thread, where it blocks nothing
 * (or inline, if that thread cannot run). Never throws: a bad frame answers
 * `kind: 'error'` with the text `decodeCpMessage` throws.
 */
export function decodeBinaryFrame(bytes: Uint8Array): BinaryFrameResult {
  let message: CpMessage;
  try {
    const text = zlib.gunzipSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES }).toString('utf8');
    message = parseCpMessage(text);
  } catch (err) {
    return { kind: 'error', error: (err as Error).message };
  }
  if (message.type !== 'snapshot') return { kind: 'message', message };
  const { version, hash } = message;
  const checked = checkSnapshotConfig(message.config, hash);
  if (!checked.ok) return { kind: 'snapshot', version, hash, check: checked };
  // The cache holds the config as received, so its hash check holds at the next start.
  const cacheJson = JSON.stringify({ version, hash, config: message.config });
  return { kind: 'snapshot', version, hash, check: { ok: true, pieces: splitConfig(checked.config), cacheJson } };
}
