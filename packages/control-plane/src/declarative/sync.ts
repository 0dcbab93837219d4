import { describePlan, planChanges, selectByTags, type ConfigSyncAnswer, type DeclarativeState } from '@gatehouse/protocol';
import type { Db } from '../database/client';
import { touchConfig } from '../database/config-change';
import type { Logger } from '../logging';
import { applyPlan, planIsEmpty, type ApplyScope } from './apply';
import { checkConflicts } from './conflicts';
import { linkKonnectServices } from './konnect-link';
import { readGroupState } from './read-group';
import { hashFileSecrets } from './secrets';

/** A checked file, ready to compare with a runtime group or apply to it. */
export interface SyncRequest {
  desired: DeclarativeState;
  /** decK's select tags: only group entities carrying all of them are compared (and deleted). */
  selectTags: string[];
  dryRun: boolean;
  warnings: string[];
}

// A large file is applied in one transaction; it may take longer than Prisma's 5 s default.
const TRANSACTION_TIMEOUT_MS = 120_000;

/**
 * Compares a file with a runtime group and, unless `dryRun`, makes the group
 * match it: all in one transaction that holds the group's row lock (so two
 * syncs, or a sync and an API write, never interleave), bumping the config
 * version and notifying the data planes once. Nothing changes when anything
 * fails, and a sync that changes nothing bumps nothing.
 */
export async function syncGroup(db: Db, log: Logger, scope: ApplyScope, request: SyncRequest): Promise<ConfigSyncAnswer> {
  const started = Date.now();
  return db.$transaction(
    async (tx) => {
      if (!request.dryRun) await tx.$executeRaw`SELECT 1 FROM runtime_groups WHERE id = ${scope.runtimeGroupId}::uuid FOR UPDATE`;
      const whole = await readGroupState(tx, scope.runtimeGroupId);
      const current = selectByTags(whole, request.selectTags);
      const desired = await hashFileSecrets(request.desired, current);
      const plan = planChanges(current, desired);
      const diff = describePlan(plan);
      const answer: ConfigSyncAnswer = { dry_run: request.dryRun, summary: diff.summary, changes: diff.entries, warnings: request.warnings };
      if (planIsEmpty(plan)) return answer;
      // A dry run reports what the real run would refuse.
      await checkConflicts(tx, scope, whole, current, plan);
      if (request.dryRun) return answer;
      const { createdServiceIds } = await applyPlan(tx, scope, current, plan);
      await touchConfig(tx, scope.runtimeGroupId);
      const linked = await linkKonnectServices(tx, scope, createdServiceIds);
      log.info({ event: 'config_synced', runtime_group_id: scope.runtimeGroupId, ...diff.summary, linked_versions: linked, duration_ms: Date.now() - started });
      return answer;
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 10_000, isolationLevel: request.dryRun ? 'RepeatableRead' : 'ReadCommitted' },
  );
}
