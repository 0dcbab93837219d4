import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_FILE_MODE, isRefusedDirectorySync, isTemporaryOf, temporaryPathFor, type DurableWriteOptions } from './durable-temp';

/**
 * The synchronous twins of durable-write.ts, for writes that happen where
 * the caller cannot wait (start-up, a CLI command, the analytics spool's
 * small periodic batch). Same guarantees: after a crash or power cut the file
 * holds its old content or all of the new one, with its mode exact from the
 * moment it exists.
 */

/** Writes and fsyncs a fresh temporary file beside `file`; answers its path. Removes it and rethrows on failure. */
function writeTemporarySync(file: string, data: string | Uint8Array, options: DurableWriteOptions): string {
  const mode = options.mode ?? DEFAULT_FILE_MODE;
  const temporary = temporaryPathFor(file);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temporary, 'wx', mode);
    // open()'s mode is narrowed by the umask, never widened; make it exact.
    fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    return temporary;
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw err;
  }
}

/** Replaces `file` with `data` durably (temporary file, fsync, rename, directory fsync); see writeFileDurable. */
export function writeFileDurableSync(file: string, data: string | Uint8Array, options: DurableWriteOptions = {}): void {
  const temporary = writeTemporarySync(file, data, options);
  try {
    fs.renameSync(temporary, file);
  } catch (err) {
    fs.rmSync(temporary, { force: true });
    throw err;
  }
  syncDirectorySync(path.dirname(file));
}

/**
 * Creates `file` with `data` only if it does not exist yet; answers false
 * (and changes nothing) when it does. The file appears complete and flushed
 * or not at all: a hard link publishes the temporary file, and unlike a
 * rename a link never replaces an existing file, so two processes racing to
 * create it agree on one content. Needs a filesystem with hard links (every
 * POSIX local filesystem).
 */
export function createFileDurableSync(file: string, data: string | Uint8Array, options: DurableWriteOptions = {}): boolean {
  const temporary = writeTemporarySync(file, data, options);
  try {
    fs.linkSync(temporary, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  syncDirectorySync(path.dirname(file));
  return true;
}

/** Makes renames in `dir` durable; filesystems that refuse to fsync a directory are accepted silently (see isRefusedDirectorySync). */
export function syncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    if (!isRefusedDirectorySync(err)) throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Removes temporary files of `file` that a killed writer left behind: those
 * made by another process (the pid in their name) and untouched for
 * `olderThanMs`, so that a live writer's temporary file, in this process or
 * another, is never pulled from under it. For directories where writers may
 * run while this is called; never throws. Answers the names removed.
 */
export function removeAbandonedTemporariesSync(file: string, olderThanMs = 60_000): string[] {
  const dir = path.dirname(file);
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  const prefix = `.${path.basename(file)}.`;
  for (const name of names) {
    if (!isTemporaryOf(file, name) || name.startsWith(`${prefix}${process.pid}.`)) continue;
    const temporary = path.join(dir, name);
    try {
      if (Date.now() - fs.statSync(temporary).mtimeMs < olderThanMs) continue;
      fs.rmSync(temporary, { force: true });
      removed.push(name);
    } catch {
      // Gone meanwhile, or a read-only directory: nothing to tidy.
    }
  }
  return removed;
}
