import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createFileDurableSync, removeAbandonedTemporariesSync } from '@gatehouse/protocol/node';
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
 * exclusively, and the loser reads the winner's key. It is created durably
 * and appears whole or not at all, so a crash or power cut can neither leave
 * it empty nor lose a key that CA keys were already encrypted with.
 */
export function loadSecretKey(settings: Pick<CpSettings, 'GATEHOUSE_SECRET_KEY' | 'GATEHOUSE_DATA_DIR'>): Buffer {
  if (settings.GATEHOUSE_SECRET_KEY) return Buffer.from(settings.GATEHOUSE_SECRET_KEY, 'utf8');
  const dir = path.resolve(settings.GATEHOUSE_DATA_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, SECRET_KEY_FILE);
  const fresh = randomBytes(32).toString('base64url');
  createFileDurableSync(file, fresh, { mode: 0o600 });
  // A start killed mid-create left a copy of a key; another CP process may be creating one right now, hence only abandoned ones.
  removeAbandonedTemporariesSync(file);
  const stored = fs.readFileSync(file, 'utf8').trim();
  if (stored.length < 16) throw new Error(`${file} holds no usable secret key (shorter than 16 characters); remove it or set GATEHOUSE_SECRET_KEY`);
  return Buffer.from(stored, 'utf8');
}
