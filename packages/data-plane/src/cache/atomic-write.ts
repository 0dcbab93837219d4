import { writeFileDurable } from '@gatehouse/protocol/node';

/**
 * Writes `data` to `file` so that a reader (or a restart after a crash or
 * power cut) sees either the old file or the whole new one, never a torn
 * write. Kept for the config cache's callers; it is the shared durable write
 * of every file Gatehouse keeps (see docs/ARCHITECTURE.md, "Files on disk").
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  return writeFileDurable(file, data, { mode });
}
