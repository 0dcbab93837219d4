import type { StateKind } from '@gatehouse/protocol';
import type { Prisma } from '../generated/prisma/client';
import { columnOf } from '../crud/codec';

/** The reference fields of each kind, and the column holding the referenced id. */
export const REF_COLUMNS: Record<StateKind, Array<{ field: string; kind: StateKind; column: string }>> = {
  services: [],
  routes: [{ field: 'service', kind: 'services', column: 'serviceId' }],
  consumers: [],
  plugins: [
    { field: 'service', kind: 'services', column: 'serviceId' },
    { field: 'route', kind: 'routes', column: 'routeId' },
    { field: 'consumer', kind: 'consumers', column: 'consumerId' },
  ],
  keyauth_credentials: [{ field: 'consumer', kind: 'consumers', column: 'consumerId' }],
  basicauth_credentials: [{ field: 'consumer', kind: 'consumers', column: 'consumerId' }],
  acls: [{ field: 'consumer', kind: 'consumers', column: 'consumerId' }],
};

/** The row operations a sync needs on one kind's table. */
export interface KindTable {
  createMany(args: { data: Record<string, unknown>[] }): Promise<unknown>;
  update(args: { where: { id: string }; data: Record<string, unknown> }): Promise<unknown>;
  updateMany(args: { where: { id: { in: string[] } }; data: Record<string, unknown> }): Promise<unknown>;
  deleteMany(args: { where: { id: { in: string[] } } }): Promise<unknown>;
}

/** Prisma types each delegate separately; the casts to the one shape a sync uses live here only. */
export function tableOf(tx: Prisma.TransactionClient, kind: StateKind): KindTable {
  const tables: Record<StateKind, unknown> = {
    services: tx.service,
    routes: tx.route,
    consumers: tx.consumer,
    plugins: tx.plugin,
    keyauth_credentials: tx.keyAuthCredential,
    basicauth_credentials: tx.basicAuthCredential,
    acls: tx.acl,
  };
  return tables[kind] as KindTable;
}

/**
 * A state entity's fields as row data: each field to its column (by the
 * CRUD's naming rule), each reference to the id of the entity it names.
 * `idOf` answers the id for a key of a kind; a missing one is a bug in the
 * plan's order and throws.
 */
export function rowData(kind: StateKind, fields: Record<string, unknown>, idOf: (kind: StateKind, key: string) => string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const refs = REF_COLUMNS[kind];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const ref = refs.find((r) => r.field === field);
    if (ref) data[ref.column] = value === null ? null : idOf(ref.kind, value as string);
    else data[columnOf(field)] = value;
  }
  return data;
}
