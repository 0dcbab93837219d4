import type { z } from 'zod';
import { issuesToFields } from '@gatehouse/protocol';
import { schemaViolation } from './api-error';

/**
 * Parses a request body (or query) with a protocol schema. A failure becomes a
 * 400 `schema_violation` whose `fields` name every wrong field, so bad input can
 * never reach the database as a 5xx.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ ...i, path: prefix ? [prefix, ...i.path] : i.path }));
  throw schemaViolation(issuesToFields(issues));
}

/** The body as a plain JSON object, or a 400 saying it must be one. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || (typeof body === 'string' && body === '')) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw schemaViolation({ '@entity': 'expected a JSON object' });
  return body as Record<string, unknown>;
}
