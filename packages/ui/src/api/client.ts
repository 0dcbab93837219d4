import type { ApiErrorBody } from '@gatehouse/protocol';

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
  /** Answer the body as text (the launch script is `text/x-shellscript`). */
  text?: boolean;
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

/**
 * Calls the CP's `/v1` API with the session token. Answers the parsed JSON
 * (undefined for 204), or throws an ApiError carrying the API's own message.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: options.text ? 'text/plain, */*' : 'application/json' };
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
  if (res.status === 204) return undefined as T;
  return (options.text ? await res.text() : await res.json()) as T;
}

/** Encodes one path segment (names may hold `:` or `~`). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
