import { healthOverrideMessage, thrownMessage, type HealthOverride } from '@gatehouse/protocol';
import { z } from 'zod';
import type { Db } from '../database/client';
import type { Logger } from '../logging';
import type { SessionRegistry } from './registry';

/** The PostgreSQL channel that carries a manual health override to every CP process (payload: JSON, below). */
export const HEALTH_OVERRIDE_CHANNEL = 'gatehouse_health_override';

const payload = healthOverrideMessage.omit({ type: true }).extend({ runtime_group_id: z.uuid() });

/** Queues the NOTIFY: every CP process (this one included) hands the override to its connected DPs of the group. */
export async function notifyHealthOverride(db: Db, runtimeGroupId: string, override: Omit<HealthOverride, 'type'>): Promise<void> {
  const body = JSON.stringify({ runtime_group_id: runtimeGroupId, ...override });
  await db.$executeRaw`SELECT pg_notify(${HEALTH_OVERRIDE_CHANNEL}, ${body})`;
}

/** A NOTIFY heard: `health_override` to every DP of the group connected to this process. */
export function deliverHealthOverride(registry: SessionRegistry, raw: string, log: Logger): void {
  let parsed: z.infer<typeof payload>;
  try {
    parsed = payload.parse(JSON.parse(raw));
  } catch (err) {
    log.warn({ event: 'health_override_unreadable', err: thrownMessage(err) });
    return;
  }
  const { runtime_group_id: rg, ...override } = parsed;
  const told = registry.ofGroup(rg).filter((s) => s.pushHealthOverride({ type: 'health_override', ...override })).length;
  log.info({
    event: 'health_override_sent',
    runtime_group_id: rg,
    upstream_id: override.upstream_id,
    target: override.target,
    healthy: override.healthy,
    nodes: told,
  });
}
