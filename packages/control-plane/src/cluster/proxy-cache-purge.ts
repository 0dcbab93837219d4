import { proxyCachePurgeMessage, thrownMessage } from '@gatehouse/protocol';
import { z } from 'zod';
import type { Db } from '../database/client';
import type { Logger } from '../logging';
import type { SessionRegistry } from './registry';

/** The PostgreSQL channel that carries a proxy-cache purge to every CP process (payload: JSON, below). */
export const PROXY_CACHE_PURGE_CHANNEL = 'gatehouse_proxy_cache_purge';

const payload = proxyCachePurgeMessage.omit({ type: true }).extend({ runtime_group_id: z.uuid() });

/** Queues the NOTIFY: every CP process (this one included) sends the purge to its connected DPs of the group. */
export async function notifyProxyCachePurge(db: Db, runtimeGroupId: string, cacheKey: string | null): Promise<void> {
  const body = JSON.stringify({ runtime_group_id: runtimeGroupId, cache_key: cacheKey });
  await db.$executeRaw`SELECT pg_notify(${PROXY_CACHE_PURGE_CHANNEL}, ${body})`;
}

/** A NOTIFY heard: `proxy_cache_purge` to every DP of the group connected to this process. */
export function deliverProxyCachePurge(registry: SessionRegistry, raw: string, log: Logger): void {
  let parsed: z.infer<typeof payload>;
  try {
    parsed = payload.parse(JSON.parse(raw));
  } catch (err) {
    log.warn({ event: 'proxy_cache_purge_unreadable', err: thrownMessage(err) });
    return;
  }
  const { runtime_group_id: rg, cache_key } = parsed;
  const told = registry.ofGroup(rg).filter((s) => s.pushCpMessage({ type: 'proxy_cache_purge', cache_key })).length;
  log.info({ event: 'proxy_cache_purge_sent', runtime_group_id: rg, cache_key, nodes: told });
}
