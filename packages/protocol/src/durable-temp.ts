import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The pieces the sync and async durable writes share: temporary names, the
 * default mode, and which directory-fsync failures are harmless.
 * See docs/ARCHITECTURE.md ("Files on disk").
 */

/** Files are private unless a caller asks otherwise: keys and tokens must never be readable by others. */
export const DEFAULT_FILE_MODE = 0o600;

/** Options every durable write takes. */
export interface DurableWriteOptions {
  /** The file's exact permission bits (the umask does not apply); default 0600. */
  mode?: number;
}

// Per process: with the pid it makes a name no other write of this host uses at the same time.
let counter = 0;

/**
 * A fresh temporary path beside `file` (same directory, so the rename is
 * atomic): `.<name>.<pid>.<counter>.<random>.tmp`. The pid and counter keep
 * two writes of one host apart; the random part keeps apart hosts (or
 * containers with their own pid numbering) sharing a directory. The leading
 * dot hides it, and `isTemporaryOf` recognizes it.
 */
export function temporaryPathFor(file: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${counter}.${randomBytes(4).toString('hex')}.tmp`);
}

/** True when `name` (a directory entry beside `file`) is a temporary file a durable write of `file` made. */
export function isTemporaryOf(file: string, name: string): boolean {
  return name.startsWith(`.${path.basename(file)}.`) && name.endsWith('.tmp');
}

// Filesystems that cannot fsync a directory say so with one of these; the rename is then as durable as that filesystem makes it.
const REFUSED = new Set(['EINVAL', 'EISDIR', 'ENOTSUP', 'EOPNOTSUPP', 'EPERM', 'EACCES', 'EBADF', 'ENOSYS']);

/**
 * True when a failure to open or fsync a directory only means this
 * filesystem (or platform) does not support it. Anything else, such as EIO,
 * means the rename may not survive a power cut, and is reported.
 */
export function isRefusedDirectorySync(err: unknown): boolean {
  return REFUSED.has((err as NodeJS.ErrnoException | null)?.code ?? '');
}
