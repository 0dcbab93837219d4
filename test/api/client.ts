import { TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD } from '../support/processes';

/** An HTTP answer with its JSON body parsed (or the raw text when it is not JSON). */
export interface Answer {
  status: number;
  headers: Headers;
  // Tests read arbitrary fields of answers; the shapes are asserted, not assumed.
  body: any;
}

/** Sends one request; `body` is JSON-encoded unless `raw` is given. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: kept as text for the assertion to show
  }
  return { status: res.status, headers: res.headers, body };
}

/** Logs in as the test admin and answers the session token. */
export async function login(baseUrl: string, email = TEST_ADMIN_EMAIL, password = TEST_ADMIN_PASSWORD): Promise<string> {
  const res = await call(baseUrl, 'POST', '/v1/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** A client bound to one CP and token: `api.post('/v1/…', body)`. */
export function client(baseUrl: string, token: string) {
  const send = (method: string, path: string, body?: unknown): Promise<Answer> => call(baseUrl, method, path, { token, body });
  return {
    get: (path: string) => send('GET', path),
    post: (path: string, body?: unknown) => send('POST', path, body),
    put: (path: string, body?: unknown) => send('PUT', path, body),
    patch: (path: string, body?: unknown) => send('PATCH', path, body),
    delete: (path: string) => send('DELETE', path),
  };
}
export type Client = ReturnType<typeof client>;
