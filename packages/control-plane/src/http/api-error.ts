import { ERROR_CODES, type ApiErrorBody, type ErrorCode } from '@gatehouse/protocol';

/**
 * An error meant for the client: its `code` comes from the one catalog in
 * packages/protocol/src/errors.ts, which also fixes the HTTP status. Route
 * handlers throw these; the error handler turns them into `{code,message,fields}`.
 */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.status = ERROR_CODES[code];
  }

  /** The JSON body the client receives. */
  body(): ApiErrorBody {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

/** 400 naming the fields that are wrong. */
export function schemaViolation(fields: Record<string, string>): ApiError {
  const names = Object.keys(fields);
  const summary = names.map((n) => `${n}: ${fields[n]}`).join('; ');
  return new ApiError('schema_violation', `schema violation (${summary})`, fields);
}

/** 404 for an entity that does not exist where the path looked for it. */
export function notFound(what: string, key?: string): ApiError {
  return new ApiError('not_found', key === undefined ? `${what} not found` : `${what} '${key}' not found`);
}
