import { schemaViolation } from './api-error';

/** Page sizes, as in Kong: `?size=` from 1 to 1000, 100 when not given. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

interface Cursor {
  createdAt: Date;
  id: string;
}

/** A parsed `?size=&offset=`, ready to spread into a Prisma findMany. */
export interface ListQuery {
  size: number;
  /** One more than `size`: the extra row tells whether another page exists. */
  take: number;
  where: { OR?: Record<string, unknown>[] };
  orderBy: ({ createdAt: 'asc' } | { id: 'asc' })[];
}

function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return single(value[value.length - 1]);
  return typeof value === 'string' ? value : undefined;
}

function decodeOffset(raw: string): Cursor {
  const bad = (): never => {
    throw schemaViolation({ offset: 'not a valid offset token (use the offset of the previous page)' });
  };
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  if (bar < 0) return bad();
  const createdAt = new Date(Number(text.slice(0, bar)));
  const id = text.slice(bar + 1);
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) return bad();
  return { createdAt, id };
}

function encodeOffset(row: Cursor): string {
  return Buffer.from(`${row.createdAt.getTime()}|${row.id}`, 'utf8').toString('base64url');
}

/**
 * Reads `size` and `offset` from a query string. Pages are ordered by
 * creation time then id, and `offset` is an opaque token naming the last row
 * of the previous page (keyset pagination), so rows created or deleted
 * between two calls never make a page skip or repeat a row.
 */
export function listQuery(query: Record<string, unknown>): ListQuery {
  const rawSize = single(query.size);
  let size = DEFAULT_PAGE_SIZE;
  if (rawSize !== undefined) {
    size = Number(rawSize);
    if (!/^\d+$/.test(rawSize) || size < 1 || size > MAX_PAGE_SIZE) throw schemaViolation({ size: `must be an integer from 1 to ${MAX_PAGE_SIZE}` });
  }
  const rawOffset = single(query.offset);
  const where: ListQuery['where'] = {};
  if (rawOffset !== undefined && rawOffset !== '') {
    const c = decodeOffset(rawOffset);
    where.OR = [{ createdAt: { gt: c.createdAt } }, { createdAt: c.createdAt, id: { gt: c.id } }];
  }
  return { size, take: size + 1, where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] };
}

/** One page of a list answer: `{data, offset}` where `offset` is the next page's token or null. */
export function page<R extends Cursor, T>(rows: readonly R[], q: ListQuery, toApi: (row: R) => T): { data: T[]; offset: string | null } {
  const more = rows.length > q.size;
  const shown = more ? rows.slice(0, q.size) : rows;
  const last = shown[shown.length - 1];
  return { data: shown.map(toApi), offset: more && last ? encodeOffset(last) : null };
}
