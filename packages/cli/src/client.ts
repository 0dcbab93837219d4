import { CliError } from './cli-error';

/** An API error body (docs/API.md, Request handling). */
interface ApiErrorBody {
  code?: string;
  message?: string;
  fields?: Record<string, string>;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  accept?: string;
}

// Requests that hang (a stopped CP behind a live TCP proxy) must not hang the CLI forever.
const TIMEOUT_MS = 300_000;

/**
 * The control plane's REST API (`<url>/v1`), as the CLI uses it: JSON in and
 * out, bearer token, and every non-2xx answer turned into a CliError that
 * carries the API's message and the fields it names.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  /** Sends a request and answers the parsed JSON body (or text, for non-JSON answers); 204 answers undefined. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(`${this.baseUrl.replace(/\/+$/, '')}/v1${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach the control plane at ${this.baseUrl}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const text = await res.text();
    const isJson = (res.headers.get('content-type') ?? '').includes('json');
    if (!res.ok) throw apiError(res.status, isJson ? safeJson(text) : undefined, text);
    if (res.status === 204 || text === '') return undefined as T;
    return (isJson ? safeJson(text) : text) as T;
  }

  /** Every item of a paged list (`{data, offset}`), following `offset` to the end. */
  async listAll<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let offset: string | undefined;
    do {
      const page = await this.request<{ data: T[]; offset: string | null }>('GET', path, { query: { size: '1000', offset } });
      items.push(...page.data);
      offset = page.offset ?? undefined;
    } while (offset !== undefined);
    return items;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function apiError(status: number, body: unknown, text: string): CliError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as ApiErrorBody;
  const details = Object.entries(b.fields ?? {}).map(([field, why]) => `${field}: ${why}`);
  const message = b.message ?? (text.trim().slice(0, 200) || `HTTP ${status}`);
  if (status === 401) return new CliError(`${message} (HTTP 401): run \`gatehouse login\`, or pass --token / GATEHOUSE_TOKEN`, details);
  // The fields are printed one per line below, so the message need not repeat them.
  const short = details.length > 0 ? message.replace(/ \(.*\)$/s, '') : message;
  return new CliError(`${short} (HTTP ${status}${b.code ? ` ${b.code}` : ''})`, details);
}
