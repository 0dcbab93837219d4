import { canonicalJson } from '../canonical-json';
import { SECRET_FIELDS, entitySpec } from '../registry';
import { STATE_KINDS, type DeclarativeState, type StateEntity, type StateKind } from './state';

/** An entity in both states whose fields differ. */
export interface EntityUpdate<F> {
  current: StateEntity<F>;
  desired: StateEntity<F>;
  /** The fields whose values differ, in field order. */
  changed: string[];
}

/** What it takes to turn one kind's current entities into the desired ones. */
export interface KindPlan<F> {
  creates: StateEntity<F>[];
  updates: EntityUpdate<F>[];
  deletes: StateEntity<F>[];
}

/** A plan for every kind of a state. */
export type Plan = { [K in StateKind]: KindPlan<DeclarativeState[K][number]['fields']> };

/** One line of a diff, as the API answers it and the CLI prints it. */
export interface DiffEntry {
  action: 'create' | 'update' | 'delete';
  kind: StateKind;
  key: string;
  /** Where the desired entity sits in the file (creates and updates). */
  source?: string;
  /** For updates: each changed field's stored and desired value (secrets shown as "(hidden)"). */
  changes?: Record<string, { from: unknown; to: unknown }>;
}

export interface DiffSummary {
  creates: number;
  updates: number;
  deletes: number;
}

/** A diff: every change, creates and updates parents first, deletes children first. */
export interface DiffResult {
  entries: DiffEntry[];
  summary: DiffSummary;
}

function differingFields(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const names = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return names.filter((n) => canonicalJson(a[n] ?? null) !== canonicalJson(b[n] ?? null));
}

/**
 * Matches desired entities to current ones (by id when the file gives one
 * that exists, else by key) and answers what to create, update and delete.
 */
export function planKind<F>(kind: StateKind, current: StateEntity<F>[], desired: StateEntity<F>[]): KindPlan<F> {
  const byId = new Map(current.flatMap((c) => (c.id === undefined ? [] : [[c.id, c] as const])));
  const byKey = new Map(current.map((c) => [c.key, c]));
  const matched = new Set<StateEntity<F>>();
  const plan: KindPlan<F> = { creates: [], updates: [], deletes: [] };
  const pairs: [StateEntity<F>, StateEntity<F> | undefined][] = desired.map((d) => {
    const byIdMatch = d.id !== undefined ? byId.get(d.id) : undefined;
    return [d, byIdMatch];
  });
  for (const [, c] of pairs) if (c) matched.add(c);
  for (const pair of pairs) {
    if (pair[1]) continue;
    const c = byKey.get(pair[0].key);
    if (c && !matched.has(c)) {
      pair[1] = c;
      matched.add(c);
    }
  }
  for (const [d, c] of pairs) {
    if (!c) {
      plan.creates.push(d);
      continue;
    }
    const changed = differingFields(c.fields as Record<string, unknown>, d.fields as Record<string, unknown>);
    if (changed.some((f) => entitySpec(kind).replaceWhenChanged.includes(f))) {
      plan.deletes.push(c);
      plan.creates.push(d);
    } else if (changed.length > 0) {
      plan.updates.push({ current: c, desired: d, changed });
    }
  }
  for (const c of current) if (!matched.has(c)) plan.deletes.push(c);
  return plan;
}

/** Plans every kind: the full set of changes from `current` to `desired`. */
export function planChanges(current: DeclarativeState, desired: DeclarativeState): Plan {
  const plan = {} as Record<StateKind, KindPlan<unknown>>;
  for (const kind of STATE_KINDS) plan[kind] = planKind(kind, current[kind] as StateEntity<unknown>[], desired[kind] as StateEntity<unknown>[]);
  return plan as unknown as Plan;
}

function shown(field: string, value: unknown): unknown {
  return SECRET_FIELDS.has(field) ? '(hidden)' : (value ?? null);
}

/** Describes a plan for people and the API: creates and updates parents first, deletes children first. */
export function describePlan(plan: Plan): DiffResult {
  const entries: DiffEntry[] = [];
  for (const kind of STATE_KINDS) {
    const p = plan[kind] as KindPlan<Record<string, unknown>>;
    for (const e of p.creates) entries.push({ action: 'create', kind, key: e.key, ...(e.source ? { source: e.source } : {}) });
    for (const u of p.updates) {
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const f of u.changed) changes[f] = { from: shown(f, u.current.fields[f]), to: shown(f, u.desired.fields[f]) };
      entries.push({ action: 'update', kind, key: u.desired.key, ...(u.desired.source ? { source: u.desired.source } : {}), changes });
    }
  }
  for (const kind of [...STATE_KINDS].reverse()) {
    for (const e of (plan[kind] as KindPlan<unknown>).deletes) entries.push({ action: 'delete', kind, key: e.key });
  }
  const count = (a: DiffEntry['action']): number => entries.filter((e) => e.action === a).length;
  return { entries, summary: { creates: count('create'), updates: count('update'), deletes: count('delete') } };
}

/** The diff between two states. */
export function diffStates(current: DeclarativeState, desired: DeclarativeState): DiffResult {
  return describePlan(planChanges(current, desired));
}

/**
 * The answer of `POST /runtime-groups/{rg}/config`: the changes (made, or
 * with `dry_run` only planned), their counts, and warnings about the file.
 */
export interface ConfigSyncAnswer {
  dry_run: boolean;
  summary: DiffSummary;
  changes: DiffEntry[];
  warnings: string[];
}
