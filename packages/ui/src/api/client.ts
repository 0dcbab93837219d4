import { issuesToFields, type ApiErrorBody } from '@gatehouse/protocol';
import type { z } from 'zod';

const TOKEN_KEY = 'gatehouse.token';

/** An error answer of the API (or a network failure, with status 0), readable as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field path (as the API names it, e.g. `route.paths[0]`) → why it was refused. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The session token, kept in localStorage so a reload stays signed in. */
export const tokenStore = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string): void => localStorage.setItem(TOKEN_KEY, token),
  clear: (): void => localStorage.removeItem(TOKEN_KEY),
};

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener = () => undefined;

/** Called when any request answers 401: the session has ended, so the app goes back to login. */
export function setUnauthorizedListener(listener: UnauthorizedListener): void {
  onUnauthorized = listener;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

async function readError(res: Response): Promise<ApiError> {
  let body: Partial<ApiErrorBody> = {};
  try {
    body = (await res.json()) as Partial<ApiErrorBody>;
  } catch {
    // A non-JSON error (a proxy in front of the CP, say): fall back to the status line.
  }
  const message = body.message ?? `${res.status} ${res.statusText || 'request failed'}`;
  return new ApiError(res.status, body.code ?? 'http_error', message, body.fields ?? {});
}

/** Sends one request to the CP's `/v1` API with the session token; throws an ApiError unless it answers 2xx. */
async function send(path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  const token = tokenStore.get();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/v1${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'The control plane cannot be reached. Check that it is running.');
  }
  if (!res.ok) {
    const error = await readError(res);
    if (res.status === 401 && token) onUnauthorized();
    throw error;
  }
  return res;
}

/**
 * Calls the API and reads its JSON answer with `schema`, the protocol schema
 * the CP answers with, so a page only ever holds answers of the shape it was
 * written for. An answer of another shape throws an ApiError naming the fields
 * that differ. Without a schema the answer is not read (deletes, say).
 */
export async function api<S extends z.ZodType>(path: string, options: RequestOptions & { schema: S }): Promise<z.output<S>>;
export async function api(path: string, options?: RequestOptions): Promise<void>;
export async function api(path: string, options: RequestOptions & { schema?: z.ZodType } = {}): Promise<unknown> {
  const res = await send(path, options, 'application/json');
  if (!options.schema) return undefined;
  const parsed = options.schema.safeParse(res.status === 204 ? undefined : await res.json());
  if (parsed.success) return parsed.data;
  throw new ApiError(
    res.status,
    'unexpected_answer',
    `The control plane answered ${path} in a shape this page does not know.`,
    issuesToFields(parsed.error.issues),
  );
}

/** Calls the API for a text answer (the launch script is `text/x-shellscript`). */
export async function apiText(path: string, options: RequestOptions = {}): Promise<string> {
  return (await send(path, options, 'text/plain, */*')).text();
}

/** Encodes one path segment (names may hold `:` or `~`). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
