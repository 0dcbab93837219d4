import type { z } from 'zod';

/**
 * A reference from one entity to another of the same runtime group
 * (`route.service`, `plugin.consumer`). In the API it is written `{id}` or
 * `{name}`, in a declarative file by name or id, in a snapshot as `{id}`, and
 * stored in the column `<field>Id` (`serviceId`).
 */
export interface ReferenceSpec {
  /** The field: `service`. */
  field: string;
  /** The registry name of the entity referred to: `services`. */
  entity: string;
  /** Whether every entity must have it (credentials: their consumer); optional ones may be null. */
  required: boolean;
  /**
   * What deleting the referred entity does: `cascade` takes this entity along
   * (a consumer's credentials), `restrict` refuses the delete while this entity
   * still refers to it (Kong refuses to delete a service its routes use).
   */
  onDelete: 'cascade' | 'restrict';
  /**
   * Whether this entity also lives under the referred one: the API serves it
   * at `/<parent>/{id}/<path>` and a declarative file may nest it in the
   * parent's entry (`services[0].routes`).
   */
  nested: boolean;
  /** Whether the API body carries the field (routes: `service`), or only the nested path sets it (credentials). */
  inBody: boolean;
}

/**
 * A list of ids of another entity of the same runtime group (a service's
 * `ca_certificates`), as Kong stores it: plain ids, in the API, in files
 * and in snapshots. Every id must name an entity of the group; such an
 * entity cannot be deleted while a list holds it.
 */
export interface IdListSpec {
  /** The field: `ca_certificates`. */
  field: string;
  /** The registry name of the entity the ids name: `ca_certificates`. */
  entity: string;
}

/**
 * Everything Gatehouse knows about one gateway entity, in one place (Kong's
 * entity schema files are the model): its schemas, how the API and files name
 * and find it, what it refers to, which of its fields are secret, and what of
 * it the data planes receive. Generic CRUD, declarative read/diff/dump and
 * the snapshot build all derive from these entries; the registry test
 * (`registry.test.ts`, and `crud/registry.test.ts` on the control plane)
 * fails when an entry is incomplete or two views disagree.
 */
export interface EntitySpec<Name extends string = string, Snapshot extends z.ZodObject = z.ZodObject> {
  /** The list name in snapshots and declarative files, and the state kind: `keyauth_credentials`. */
  name: Name;
  /** One entity, in messages: `key-auth credential`. */
  noun: string;
  /** The API path segment: `key-auth`. */
  path: string;
  /** The Prisma model (its delegate on the client) and so the table: `keyAuthCredential`. */
  model: string;
  /** The schema a create or replace body must pass (Kong's fields and defaults). */
  input: z.ZodType;
  /** The answer shape of the API; its keys are the fields answers carry. */
  output: z.ZodObject;
  /** The shape shipped to data planes in the snapshot (secret hashes included, plaintext never). */
  snapshot: Snapshot;
  /** The schema of an entry in a declarative file, references removed. */
  declarative: z.ZodType;
  /** The unique field a path or a reference may use instead of the id (`name`, `username`), or null. */
  endpointKey: string | null;
  /** Where `endpointKey` (and the entity's other unique fields) are unique: routes' names across the organization. */
  uniqueIn: 'runtime_group' | 'organization';
  /** Other fields unique in the runtime group (`instance_name`). */
  alsoUnique: readonly string[];
  /** Names a declarative reference may use for this entity (`username`, `custom_id`). */
  lookupNames: readonly string[];
  references: readonly ReferenceSpec[];
  /** Lists of ids of other entities (a service's `ca_certificates`). */
  idLists: readonly IdListSpec[];
  /** Served at `/runtime-groups/{rg}/<path>`; false: only nested (credentials). */
  topLevel: boolean;
  /** PUT and PATCH are offered; false: replaced by delete and create (credentials). */
  updatable: boolean;
  /** Object fields PATCH merges key by key (a plugin's `config`); every other field is replaced whole. */
  deepMerge: readonly string[];
  /** Fields that hold a secret or its hash: never logged, never answered, hidden in diffs. */
  secretFields: readonly string[];
  /**
   * Secret fields stored encrypted with the installation's secret key (a
   * certificate's private `key`): never answered, opened only for the
   * snapshot data planes get, a dump, and a PATCH's merge. Also secret fields.
   */
  sealedFields: readonly string[];
  /**
   * Answer fields the control plane computes when it answers, not columns:
   * a certificate's `snis` (the names of the SNIs pointing at it) and its
   * `expires_at`/`expiry_state`.
   */
  computed: readonly string[];
  /** Fields shown once, in the creation answer only (a generated key-auth key). */
  revealOnCreate: readonly string[];
  /** Fields whose change replaces the entity rather than updating it (a credential moving to another consumer). */
  replaceWhenChanged: readonly string[];
  /** Kong fields Gatehouse lacks: a file may carry them null or empty, as Kong dumps write them. */
  kongOnly: readonly string[];
  /** Kong lists that may be nested in an entry but Gatehouse lacks: accepted only when empty. */
  kongOnlyLists: readonly string[];
  /**
   * The natural key a declarative entity is matched by (its name, or a stand-in
   * when it has none), from its fields with references already turned into keys.
   */
  key(fields: Record<string, unknown>): string;
  /** The field a duplicate of this entity is reported on in a file. */
  keyField(fields: Record<string, unknown>): string;
}

/** Declares a registry entry, keeping its name's literal type (so lists keyed by name stay typed). */
export function defineEntity<const Name extends string, Snapshot extends z.ZodObject>(spec: EntitySpec<Name, Snapshot>): EntitySpec<Name, Snapshot> {
  return spec;
}
