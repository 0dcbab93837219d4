import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The node's id: read from `<dir>/node_id`, or created there once. The same
 * directory always answers the same id, so re-running a launch script on a
 * host keeps the node's identity. A corrupt file is replaced by a new id.
 */
export function loadOrCreateNodeId(dir: string): string {
  const file = path.join(dir, 'node_id');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (UUID.test(existing)) return existing.toLowerCase();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = randomUUID();
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${id}\n`, { mode: 0o644 });
  fs.renameSync(tmp, file);
  return id;
}
