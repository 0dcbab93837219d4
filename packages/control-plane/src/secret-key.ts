import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CpSettings } from './config/settings';

/** The file, inside GATEHOUSE_DATA_DIR, that keeps a generated secret key. */
export const SECRET_KEY_FILE = 'secret.key';

/**
 * The installation's secret key: GATEHOUSE_SECRET_KEY when set, otherwise a
 * random key generated on first start and kept in `<data dir>/secret.key`
 * (mode 0600). It signs session tokens and encrypts CA private keys, so it
 * must stay the same across restarts, and every CP process sharing one
 * database must see the same one (set GATEHOUSE_SECRET_KEY for that).
 * Two processes starting at once on one data dir agree: the file is created
 * exclusively, and the loser reads the winner's key.
 */
export function loadSecretKey(settings: Pick<CpSettings, 'GATEHOUSE_SECRET_KEY' | 'GATEHOUSE_DATA_DIR'>): Buffer {
  if (settings.GATEHOUSE_SECRET_KEY) return Buffer.from(settings.GATEHOUSE_SECRET_KEY, 'utf8');
  const dir = path.resolve(settings.GATEHOUSE_DATA_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, SECRET_KEY_FILE);
  const fresh = randomBytes(32).toString('base64url');
  try {
    fs.writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stored = readWhenWritten(file);
  if (stored.length < 16) throw new Error(`${file} holds no usable secret key (shorter than 16 characters); remove it or set GATEHOUSE_SECRET_KEY`);
  return Buffer.from(stored, 'utf8');
}

/** Another process may have created the file a moment ago and not yet written it. */
function readWhenWritten(file: string): string {
  const deadline = Date.now() + 2000;
  for (;;) {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (text !== '' || Date.now() > deadline) return text;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}
