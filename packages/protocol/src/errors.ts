/**
 * The one catalog of API error codes, each with its HTTP status. Every error
 * body the CP answers is `{code, message, fields?}` with a code from here.
 */
export const ERROR_CODES = {
  schema_violation: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  unique_violation: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal_error: 500,
  database_unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** The JSON body of every API error. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
}

/**
 * Turns a Zod issue path into the field name errors use: `paths[0]`,
 * `route.paths[1]`, `services[2].routes[0].name`.
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '@entity' : out;
}

/** Collects Zod issues into the `fields` map of a schema_violation body. */
export function issuesToFields(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: string[] }[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) fields[fieldPath([...issue.path, key])] = 'unknown field';
      continue;
    }
    const key = fieldPath(issue.path);
    if (!(key in fields)) fields[key] = issue.message;
  }
  return fields;
}

/** A thrown value's message: an Error's own, anything else as text (a rejection may carry any value). */
export function thrownMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A thrown value as an Error (wrapping a non-Error value), for code that keeps or rethrows it. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
