import type { EntitySpec } from '@gatehouse/protocol';
import type { z } from 'zod';
import type { Prisma } from '../generated/prisma/client';

/** A transaction (or the client itself: both have every model delegate). */
export type Tx = Prisma.TransactionClient;

/** A stored row as the generic code sees it: columns by their Prisma (camelCase) names. */
export type Row = Record<string, unknown> & { id: string; createdAt: Date };

/**
 * The part of a Prisma model delegate the generic code uses (CRUD and
 * declarative sync). Prisma types each model's delegate separately; the
 * registry names the model, and `delegateOf` is the one place that picks it
 * off the client.
 */
export interface Delegate {
  findFirst(args: { where: Record<string, unknown> }): Promise<Row | null>;
  findMany(args: { where: Record<string, unknown>; orderBy?: unknown; take?: number }): Promise<Row[]>;
  create(args: { data: Record<string, unknown> }): Promise<Row>;
  createMany(args: { data: Record<string, unknown>[] }): Promise<unknown>;
  update(args: { where: { id: string }; data: Record<string, unknown> }): Promise<Row>;
  updateMany(args: { where: { id: { in: string[] } }; data: Record<string, unknown> }): Promise<unknown>;
  delete(args: { where: { id: string } }): Promise<Row>;
  deleteMany(args: { where: { id: { in: string[] } } }): Promise<unknown>;
  count(args: { where: Record<string, unknown> }): Promise<number>;
}

/** The delegate of a registry entity's Prisma model (`spec.model`); the registry test proves every model exists. */
export function delegateOf(tx: Tx, model: string): Delegate {
  const delegate = (tx as unknown as Record<string, Delegate | undefined>)[model];
  if (!delegate) throw new Error(`the Prisma client has no model '${model}'`);
  return delegate;
}

/** A field that refers to another entity of the same runtime group (`service: {id} | {name}`). */
export interface ForeignKey {
  /** The API field: `service`. */
  field: string;
  /** The column holding the id: `serviceId`. */
  column: string;
  /** The entity referred to (a function, since definitions refer to each other). */
  target: () => EntityDef;
}

/** Where an entity is also reachable under another: `/services/{id}/routes`. */
export interface Nesting {
  /** The parent entity whose path this one appears under. */
  parent: () => EntityDef;
  /** The foreign key (of this entity) that points at the parent. */
  field: string;
  /** Whether the input schema has the field (routes: `service`), or only the column exists (credentials). */
  inBody: boolean;
}

/** The secret-derived columns of an entity, and what to show the client once. */
export interface Prepared {
  input: Record<string, unknown>;
  /** Fields shown in the creation answer only (a generated key-auth key). */
  reveal?: Record<string, unknown>;
}

/** What only the control plane does for an entity, beyond what its registry entry says. */
export interface EntityHooks {
  /** Turns validated input into stored fields: hashing secrets, generating keys, checking a plugin's config. */
  prepare?(input: Record<string, unknown>): Promise<Prepared>;
  /** Rules across rows that no unique index expresses; throws an ApiError. */
  check?(tx: Tx, runtimeGroupId: string, data: Record<string, unknown>, excludeId: string | null): Promise<void>;
  /**
   * After a create, replace (PUT) or merge (PATCH), with the validated input:
   * writes what the row's own columns cannot hold (a certificate's `snis`).
   */
  afterWrite?(tx: Tx, runtimeGroupId: string, row: Row, input: Record<string, unknown>, mode: 'create' | 'replace' | 'patch'): Promise<void>;
  /** The id a path key that is neither an id nor an endpoint key names (a certificate's SNI name), or null. */
  findByKey?(tx: Tx, runtimeGroupId: string, key: string): Promise<string | null>;
  /** The body a PUT creates with when its path key names nothing and is no id (a certificate: the name added to `snis`). */
  bodyForKey?(key: string, body: unknown): unknown;
  /** Fills the registry's `computed` answer fields into rows about to be answered. */
  decorate?(tx: Tx, rows: Row[]): Promise<Row[]>;
}

/**
 * Everything the generic CRUD needs to serve one gateway entity, derived from
 * its registry entry (`@gatehouse/protocol`'s registry) and its hooks
 * (crud/entities): path, schemas, endpoint key, references and nesting.
 * Uniqueness is enforced by the database's unique constraints (named after
 * their columns), which the error mapping turns into 409 naming the field.
 * Every entity belongs to exactly one runtime group (`runtimeGroupId`).
 */
export interface EntityDef extends EntityHooks {
  spec: EntitySpec;
  /** Path segment and name in messages: `services`, `key-auth`. */
  path: string;
  /** One entity, in messages: `service`. */
  label: string;
  model(tx: Tx): Delegate;
  /** The protocol schema a create or replace body must pass (Kong's fields and defaults). */
  input: z.ZodType;
  /** The protocol schema of the answer; its keys are the fields answers carry. */
  output: z.ZodObject;
  /** The unique field a path may use instead of the id (`name`, `username`), or null. */
  endpointKey: string | null;
  /** Unique in the organization rather than the group: the row carries `organizationId` too. */
  orgScoped: boolean;
  foreignKeys: ForeignKey[];
  nesting: Nesting[];
  /** Served at `/runtime-groups/{rg}/<path>` (false: only nested, like credentials). */
  topLevel: boolean;
  /** PUT and PATCH are offered (false for credentials, which are replaced by delete + create). */
  updatable: boolean;
  /** Object fields PATCH merges key by key (a plugin's `config`); every other field is replaced whole. */
  deepMerge: readonly string[];
  /** Entities that must be deleted first (Kong refuses to delete a service routes still use). */
  restrictDelete: { entity: () => EntityDef; column: string }[];
}
