import { STATE_KINDS, entitySpec, type DeclarativeState, type KindPlan, type Plan, type StateEntity, type StateKind } from '@gatehouse/protocol';
import type { Prisma } from '../generated/prisma/client';
import { ApiError } from '../http/api-error';
import type { ApplyScope } from './apply';

type AnyPlan = KindPlan<Record<string, unknown>>;

const where = (e: { source?: string }, field: string): string => (e.source ? `${e.source}.${field}` : field);

/**
 * What a file cannot know by itself and the database would refuse halfway
 * through: route names taken in another runtime group of the organization,
 * entities the file creates that already exist outside the select tags, and
 * services (certificates, CA certificates) the sync would delete while routes
 * (services) outside it still use them.
 * Throws 409 naming the field in the file, before anything is written.
 */
export async function checkConflicts(
  tx: Prisma.TransactionClient,
  scope: ApplyScope,
  whole: DeclarativeState,
  selected: DeclarativeState,
  plan: Plan,
): Promise<void> {
  const p = plan as unknown as Record<StateKind, AnyPlan>;
  const fields: Record<string, string> = {};

  const named = [...p.routes.creates, ...p.routes.updates.map((u) => u.desired)].filter((r) => typeof r.fields.name === 'string');
  if (named.length > 0) {
    const taken = await tx.route.findMany({
      where: { organizationId: scope.organizationId, name: { in: named.map((r) => r.fields.name as string) }, NOT: { runtimeGroupId: scope.runtimeGroupId } },
      select: { name: true, runtimeGroup: { select: { name: true } } },
    });
    for (const t of taken) {
      const r = named.find((n) => n.fields.name === t.name);
      if (!r) continue;
      fields[where(r, 'name')] = `already used by a route in runtime group '${t.runtimeGroup.name}' (route names are unique in the organization)`;
    }
  }

  for (const kind of STATE_KINDS) {
    const inSelection = new Set((selected[kind] as StateEntity<unknown>[]).map((e) => e.key));
    const outside = new Set((whole[kind] as StateEntity<unknown>[]).filter((e) => !inSelection.has(e.key)).map((e) => e.key));
    for (const e of p[kind].creates) {
      if (outside.has(e.key))
        fields[where(e, entitySpec(kind).keyField(e.fields))] = `a ${entitySpec(kind).noun} "${e.key}" exists in the runtime group without the select tags`;
    }
  }

  if (Object.keys(fields).length > 0) throw conflict('unique_violation', fields);

  const managed = new Set(selected.routes.map((r) => r.key));
  for (const s of p.services.deletes) {
    const users = whole.routes.filter((r) => r.fields.service === s.key && !managed.has(r.key));
    if (users.length > 0)
      fields[`services.${s.key}`] = `cannot be deleted: routes outside the select tags still use it (${users.map((r) => r.key).join(', ')})`;
  }
  // Certificates a service outside the selection presents, or CA certificates it trusts (#17).
  const managedServices = new Set(selected.services.map((e) => e.key));
  const outsideServices = whole.services.filter((e) => !managedServices.has(e.key));
  for (const c of p.certificates.deletes) {
    const users = outsideServices.filter((e) => e.fields.client_certificate === c.key);
    if (users.length > 0)
      fields[`certificates.${c.key}`] = `cannot be deleted: services outside the select tags still use it (${users.map((e) => e.key).join(', ')})`;
  }
  for (const c of p.ca_certificates.deletes) {
    const users = outsideServices.filter((e) => c.id !== undefined && (e.fields.ca_certificates as string[] | undefined)?.includes(c.id));
    if (users.length > 0)
      fields[`ca_certificates.${c.key}`] = `cannot be deleted: services outside the select tags still use it (${users.map((e) => e.key).join(', ')})`;
  }
  if (Object.keys(fields).length > 0) throw conflict('conflict', fields);
}

function conflict(code: 'unique_violation' | 'conflict', fields: Record<string, string>): ApiError {
  const summary = Object.entries(fields)
    .map(([f, why]) => `${f}: ${why}`)
    .join('; ');
  return new ApiError(code, `the file conflicts with the runtime group (${summary})`, fields);
}
