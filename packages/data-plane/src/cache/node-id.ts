import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { isTemporaryOf, writeFileDurableSync } from '@gatehouse/protocol/node';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The node's id: read from `<dir>/node_id`, or created there once. The same
 * directory always answers the same id, so re-running a launch script on a
 * host keeps the node's identity. A corrupt file is replaced by a new id.
 * The file is written durably (it survives a power cut whole), so once a node
 * has announced an id it keeps it.
 */
export function loadOrCreateNodeId(dir: string): string {
  const file = path.join(dir, 'node_id');
  removeTemporaries(dir, file);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (UUID.test(existing)) return existing.toLowerCase();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = randomUUID();
  writeFileDurableSync(file, `${id}\n`, { mode: 0o644 });
  return id;
}

// A DP killed while creating the id leaves its temporary file; one DP runs per DP dir, so none is in use now.
function removeTemporaries(dir: string, file: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (isTemporaryOf(file, name)) fs.rmSync(path.join(dir, name), { force: true });
}
