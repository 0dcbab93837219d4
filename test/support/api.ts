import { TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD } from './processes';

/**
 * JSON a test decoded from the wire (an HTTP answer's body, a cluster
 * message) and reads freely to assert on. It is `any`, as JSON.parse and
 * fetch's `json()` answer it: typing each would restate the protocol schemas
 * the product already checks (eslint.config.mjs, gatehouse/tests, says the
 * same of reading such values). The one place tests write `any`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- decoded wire JSON, see the comment above
export type WireJson = any;

/**
 * One HTTP answer, from the CP's API or a DP's proxy: `text` is the body as
 * sent, `body` the same parsed as JSON when it parses (else the text;
 * undefined when empty).
 */
export interface Answer<T = WireJson> {
  status: number;
  headers: Headers;
  // Tests read arbitrary fields of answers; the shapes are asserted, not assumed.
  body: T;
  text: string;
}

/** Fetches `url` and reads the whole answer; every request in the tests goes through here. */
export async function request<T = WireJson>(url: string, init: RequestInit = {}): Promise<Answer<T>> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the assertion to show
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

/** Options of one API call: `body` is JSON-encoded unless `raw` is given (sent as is, typed `contentType`). */
export interface CallOptions {
  token?: string;
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Sends one request to `baseUrl` + `path` (a full path: `/v1/…`), with a bearer token when given. */
export function call<T = WireJson>(baseUrl: string, method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  return request<T>(`${baseUrl}${path}`, { method, headers, body: payload });
}

/** Logs in (as the test admin unless told otherwise) and answers the session token. */
export async function login(baseUrl: string, email = TEST_ADMIN_EMAIL, password = TEST_ADMIN_PASSWORD): Promise<string> {
  const res = await call(baseUrl, 'POST', '/v1/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return res.body.token as string;
}

/** A node as the nodes list shows it (the fields tests wait on). */
export interface ListedNode {
  id: string;
  sync_status: string;
  config_hash: string | null;
  cert_not_after: number | null;
}

/**
 * A client of one CP's API with a bearer token: `api.post('/v1/…', body)`.
 * Paths are full paths (with `/v1`). The methods are bound, so they can be
 * passed around on their own.
 */
export class Client {
  constructor(
    readonly baseUrl: string,
    /** Replaced by `relogin()`; sent as `Authorization: Bearer` on every call. */
    public token: string,
  ) {}

  send = <T = WireJson>(method: string, path: string, body?: unknown): Promise<Answer<T>> => call<T>(this.baseUrl, method, path, { token: this.token, body });
  get = <T = WireJson>(path: string): Promise<Answer<T>> => this.send<T>('GET', path);
  post = <T = WireJson>(path: string, body?: unknown): Promise<Answer<T>> => this.send<T>('POST', path, body);
  put = <T = WireJson>(path: string, body?: unknown): Promise<Answer<T>> => this.send<T>('PUT', path, body);
  patch = <T = WireJson>(path: string, body?: unknown): Promise<Answer<T>> => this.send<T>('PATCH', path, body);
  delete = <T = WireJson>(path: string): Promise<Answer<T>> => this.send<T>('DELETE', path);

  /** Like `send`, but answers the body and throws unless the answer is 2xx. */
  ok = async <T = WireJson>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await this.send<T>(method, path, body);
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path} answered ${res.status}: ${res.text}`);
    return res.body;
  };

  /** The node of `nodeId` in the group's nodes list, if listed. */
  node = async (nodeId: string, rg = 'default'): Promise<ListedNode | undefined> => {
    const list = await this.ok<{ data: ListedNode[] }>('GET', `/v1/runtime-groups/${rg}/nodes`);
    return list.data.find((n) => n.id === nodeId);
  };

  /** Logs in again as the test admin (e.g. after a CP restart) and keeps the new token. */
  relogin = async (): Promise<void> => {
    this.token = await login(this.baseUrl);
  };
}

/** A client bound to one CP and token. */
export function client(baseUrl: string, token: string): Client {
  return new Client(baseUrl, token);
}
