import fs from 'node:fs';
import type { EmbeddedDatabase } from '../../packages/control-plane/src/database/embedded';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__gatehousePg as { pg: EmbeddedDatabase; dir: string } | undefined;
  if (!state) return;
  await state.pg.stop();
  fs.rmSync(state.dir, { recursive: true, force: true });
}
