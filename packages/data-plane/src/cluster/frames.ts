import type { RawData } from 'ws';
import type { CpMessage, DpMessage } from '@gatehouse/protocol';
import { decodeBinaryFrame, MAX_DECOMPRESSED_BYTES, type BinaryFrameResult } from './binary-frame';
import { parseCpMessage } from './cp-message';
import type { FrameDecoder } from './frame-decoder';
import { CheckedConfig } from './snapshot-check';

export { MAX_DECOMPRESSED_BYTES };

/**
 * Decodes one frame from the control plane: a JSON text frame, or a gzip
 * binary frame holding the same JSON (large snapshots). The envelope is
 * validated with `cpMessage`; a snapshot's `config` is not rejected here, so
 * that a bad config can be answered with `rejected`. Gzip frames go to
 * `decoder`'s thread when one is given, which also checks a snapshot's
 * config there: the snapshot's `config` is then a `CheckedConfig` for
 * `applySnapshot`. Throws a readable error.
 */
export async function decodeCpMessage(data: RawData, isBinary: boolean, decoder?: FrameDecoder): Promise<CpMessage> {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  if (!isBinary) return parseCpMessage(bytes.toString('utf8'));
  const result: BinaryFrameResult = decoder ? await decoder.decode(bytes) : decodeBinaryFrame(bytes);
  if (result.kind === 'error') throw new Error(result.error);
  if (result.kind === 'message') return result.message;
  return { type: 'snapshot', version: result.version, hash: result.hash, config: new CheckedConfig(result.check) };
}

/** Encodes a message for the control plane (always a JSON text frame). */
export function encodeDpMessage(message: DpMessage): string {
  return JSON.stringify(message);
}
