import zlib from 'node:zlib';
import { cpMessage, fieldPath, type CpMessage } from '@gatehouse/protocol';
import { prepareSnapshot } from './prepare';
import type { IncomingSnapshot } from './prepared';

/** A decompressed frame larger than this is refused rather than held in memory. */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/** Every CP message but a snapshot: these go to the cluster client's listeners as they are. */
export type OtherCpMessage = Exclude<CpMessage, { type: 'snapshot' }>;

/**
 * One decoded CP frame: a snapshot (prepared, or refused with the error to
 * answer), another message, or a frame that is not a CP message at all
 * (`error`, to log and ignore). Plain data, so it crosses threads.
 */
export type DecodedFrame = IncomingSnapshot | { kind: 'message'; message: OtherCpMessage } | { kind: 'error'; error: string };

/**
 * Decodes one frame from the control plane — a JSON text frame, or a gzip
 * binary frame holding the same JSON (large snapshots) — and, for a
 * snapshot, checks and prepares its config (snapshot/prepare.ts). The
 * envelope is checked with `cpMessage`, which leaves a snapshot's `config`
 * unchecked so that a bad config is answered `rejected`, not dropped.
 * Synchronous and CPU-heavy for a big snapshot: FrameDecoder runs it on the
 * snapshot thread for gzip frames. Never throws.
 */
export function decodeFrame(bytes: Uint8Array, isBinary: boolean): DecodedFrame {
  let json: unknown;
  try {
    const text = isBinary
      ? zlib.gunzipSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES }).toString('utf8')
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    json = JSON.parse(text);
  } catch (err) {
    return { kind: 'error', error: err instanceof SyntaxError ? 'frame is not JSON' : (err as Error).message };
  }
  const parsed = cpMessage.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'error', error: `invalid message: ${issue ? `${fieldPath(issue.path)}: ${issue.message}` : 'unknown shape'}` };
  }
  const message = parsed.data;
  if (message.type === 'snapshot') return prepareSnapshot(message.version, message.hash, message.config);
  return { kind: 'message', message };
}
