import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** A file written to a temporary name, waiting to be renamed over its target. */
export interface PreparedFile {
  readonly target: string;
  /** Renames the temporary file over the target (atomic on one filesystem). */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

/**
 * Writes `data` to a temporary file beside `file`, created with `mode` (so a
 * key is never readable by others, not even briefly) and flushed to disk.
 * Nothing replaces the target until `commit()`: preparing a certificate and
 * its key first, then committing both, keeps the window in which they do not
 * match down to two renames.
 */
export async function prepareFile(file: string, data: string, mode = 0o644): Promise<PreparedFile> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(tmp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    // open()'s mode is filtered by the umask; make it exact.
    await fs.promises.chmod(tmp, mode);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  return {
    target: file,
    async commit() {
      try {
        await fs.promises.rename(tmp, file);
      } catch (err) {
        await fs.promises.rm(tmp, { force: true });
        throw err;
      }
      await syncDirectory(dir);
    },
    abort: () => fs.promises.rm(tmp, { force: true }),
  };
}

/** Makes the rename itself durable; some filesystems refuse to fsync a directory, which is harmless. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
