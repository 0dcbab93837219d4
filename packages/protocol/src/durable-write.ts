import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_FILE_MODE, isRefusedDirectorySync, temporaryPathFor, type DurableWriteOptions } from './durable-temp';

/** A complete, flushed temporary file waiting to be renamed over its target. */
export interface PreparedFile {
  readonly target: string;
  readonly temporary: string;
  /** Renames the temporary file over the target, then fsyncs the directory. On failure the temporary file is removed. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

/**
 * Writes `data` to a fresh temporary file beside `file`, with exactly
 * `options.mode` from the moment it exists (a key is never readable by
 * others, not even briefly), and fsyncs it. Nothing replaces the target until
 * `commit()`, so several files can be made ready before any is replaced. On
 * failure the temporary file is removed and the error rethrown.
 */
export async function prepareFileDurable(file: string, data: string | Uint8Array, options: DurableWriteOptions = {}): Promise<PreparedFile> {
  const mode = options.mode ?? DEFAULT_FILE_MODE;
  const temporary = temporaryPathFor(file);
  let handle: fs.FileHandle | undefined;
  try {
    // 'wx': a temporary file is never shared with another writer.
    handle = await fs.open(temporary, 'wx', mode);
    // open()'s mode is narrowed by the umask, never widened; make it exact.
    await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw err;
  }
  return {
    target: file,
    temporary,
    async commit() {
      try {
        await fs.rename(temporary, file);
      } catch (err) {
        await fs.rm(temporary, { force: true }).catch(() => undefined);
        throw err;
      }
      await syncDirectory(path.dirname(file));
    },
    abort: () => fs.rm(temporary, { force: true }),
  };
}

/**
 * Replaces `file` with `data` so that after a crash or power cut at any
 * moment the file holds either its old content or all of the new one, never
 * a mix, and never goes missing once it existed: temporary file, fsync,
 * rename, fsync of the directory. Resolves once the new content is durable.
 */
export async function writeFileDurable(file: string, data: string | Uint8Array, options: DurableWriteOptions = {}): Promise<void> {
  await (await prepareFileDurable(file, data, options)).commit();
}

/**
 * Makes renames in `dir` durable. Filesystems that refuse to fsync a
 * directory (EINVAL, EISDIR…) are accepted silently: see isRefusedDirectorySync.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    if (!isRefusedDirectorySync(err)) throw err;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
