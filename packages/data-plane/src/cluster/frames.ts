import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { RawData } from 'ws';
import { cpMessage, fieldPath, type CpMessage, type DpMessage } from '@gatehouse/protocol';

const gunzip = promisify(zlib.gunzip);

/** A decompressed snapshot larger than this is refused rather than held in memory. */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/**
 * Decodes one frame from the control plane: a JSON text frame, or a gzip
 * binary frame holding the same JSON (large snapshots). The envelope is
 * validated with `cpMessage`; a snapshot's `config` is left unchecked here so
 * that a bad config can be answered with `rejected`. Throws a readable error.
 */
export async function decodeCpMessage(data: RawData, isBinary: boolean): Promise<CpMessage> {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  const text = isBinary ? (await gunzip(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES })).toString('utf8') : bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('frame is not JSON');
  }
  const parsed = cpMessage.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid message: ${issue ? `${fieldPath(issue.path)}: ${issue.message}` : 'unknown shape'}`);
  }
  return parsed.data;
}

/** Encodes a message for the control plane (always a JSON text frame). */
export function encodeDpMessage(message: DpMessage): string {
  return JSON.stringify(message);
}
