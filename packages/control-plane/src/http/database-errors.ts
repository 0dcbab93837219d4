import { Prisma } from '../generated/prisma/client';
import { ApiError } from './api-error';

// Columns that scope a uniqueness rule rather than name the clashing field.
const SCOPE_COLUMNS = ['organization_id', 'runtime_group_id', 'consumer_id', 'service_id', 'upstream_id'];
// Stored columns whose API field has another name.
const FIELD_ALIASES: Record<string, string> = { key_hash: 'key', name_key: 'name', token_hash: 'token', gateway_service_id: 'service' };

/**
 * Names the API field a unique constraint protects, from the constraint's name
 * as Prisma Migrate writes it (`<table>_<columns>_key`): the scope columns
 * (runtime group, organization, …) are dropped, since the client never sent them.
 */
export function uniqueField(constraint: string, table?: string): string {
  // A primary key (`<table>_pkey`) is the entity's `id`, e.g. a PUT creating with an id already in use.
  if (constraint.endsWith('_pkey')) return 'id';
  let rest = constraint.replace(/_key$/, '');
  if (table && rest.startsWith(`${table}_`)) rest = rest.slice(table.length + 1);
  for (const scope of SCOPE_COLUMNS) if (rest.startsWith(`${scope}_`)) rest = rest.slice(scope.length + 1);
  return FIELD_ALIASES[rest] ?? rest;
}

interface AdapterCause {
  kind?: string;
  originalCode?: string;
  constraint?: { index?: string; fields?: string[] };
  table?: string;
}

function adapterCause(err: Prisma.PrismaClientKnownRequestError): AdapterCause {
  const meta = err.meta as { driverAdapterError?: { cause?: AdapterCause }; target?: unknown; table?: string } | undefined;
  const cause = meta?.driverAdapterError?.cause ?? {};
  return { ...cause, table: cause.table ?? meta?.table };
}

// PostgreSQL: invalid byte sequence / NUL in text, untranslatable character, invalid text representation.
const BAD_VALUE_CODES = new Set(['22021', '22P05', '22P02']);
// P2024: no pooled connection in time; P2028: a transaction could not start or ran out of time.
const CONNECTION_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
// A raw query ($queryRaw: P2010) reports a lost database only through the driver adapter's cause.
const CONNECTION_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// PostgreSQL: the server is shutting down or restarting, or the connection failed.
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

/**
 * Turns a database error into the API error a client should see, or answers
 * undefined when the error is a bug (and so a 500). Unique violations become
 * 409 naming the field, missing rows 404, broken references 409, a lost
 * database 503: bad input never surfaces as a 5xx.
 */
export function fromDatabaseError(err: unknown): ApiError | undefined {
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    if (err.code === 'P2002') {
      const cause = adapterCause(err);
      const field = cause.constraint?.index
        ? uniqueField(cause.constraint.index, cause.table)
        : (cause.constraint?.fields?.filter((f) => !SCOPE_COLUMNS.includes(f)).map((f) => FIELD_ALIASES[f] ?? f)[0] ?? '@entity');
      return new ApiError('unique_violation', `UNIQUE violation detected on '${field}'`, { [field]: 'already exists' }, { cause: err });
    }
    if (err.code === 'P2025') return new ApiError('not_found', 'not found', undefined, { cause: err });
    if (err.code === 'P2003') {
      return new ApiError('conflict', 'the entity is still referenced by other entities', undefined, { cause: err });
    }
    if (err.code === 'P2000' || err.code === 'P2007' || err.code === 'P2020') {
      return new ApiError('schema_violation', 'a value is out of range for its field', { '@entity': 'value out of range' }, { cause: err });
    }
    const original = adapterCause(err).originalCode;
    if (original && BAD_VALUE_CODES.has(original)) {
      return new ApiError('schema_violation', 'a value cannot be stored (invalid characters or format)', { '@entity': 'invalid value' }, { cause: err });
    }
    const cause = adapterCause(err);
    if (
      CONNECTION_CODES.has(err.code) ||
      (cause.kind && CONNECTION_KINDS.has(cause.kind)) ||
      (cause.originalCode && CONNECTION_SQLSTATES.has(cause.originalCode))
    ) {
      return new ApiError('database_unavailable', 'the database is unavailable', undefined, { cause: err });
    }
  }
  if (err instanceof Prisma.PrismaClientInitializationError) {
    return new ApiError('database_unavailable', 'the database is unavailable', undefined, { cause: err });
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === '57P01' || code === '57P03') {
    return new ApiError('database_unavailable', 'the database is unavailable', undefined, { cause: err });
  }
  return undefined;
}
