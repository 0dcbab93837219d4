import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { errorBody, JSON_CONTENT_TYPE } from './responses';

/** The consumer a request was authenticated as (Kong's `kong.client.get_consumer()`). */
export interface ConsumerInfo {
  id: string;
  username: string | null;
  custom_id: string | null;
}

/** The credential that authenticated it (Kong's `kong.client.get_credential()`). */
export interface CredentialInfo {
  id: string;
  consumerId: string;
  /** What `X-Credential-Identifier` carries when it is not the id (Kong: a jwt credential's key, an hmac-auth username). */
  identifier?: string;
}

/** An answer given by a plugin instead of the upstream's (Kong's `kong.response.exit`). */
export interface PluginExit {
  status: number;
  body: Buffer;
  /**
   * What a gRPC client gets as `grpc-message` (Kong's `kong.response.exit`
   * on a gRPC request): the body's `message` field, or a string body;
   * undefined for no body and for `error()`, whose gRPC answer carries the
   * status's name (grpc/answer.ts).
   */
  grpcMessage?: string;
}

/** What the proxy knows about a request when it creates the context. */
export interface RequestFacts {
  method: string;
  scheme: 'http' | 'https';
  /** Host header without port, lower-case ('' when absent). */
  host: string;
  /** The request path as received, without the query string. */
  path: string;
  /** The query string without '?', '' when there is none. */
  rawQuery: string;
  /** The client's address (Kong's forwarded IP with no trusted proxies). */
  clientIp: string;
  /** The client's request headers (names lower-case); never changed by plugins. */
  headers: IncomingHttpHeaders;
  /** Node's `rawHeaders` (name, value, name, value, …): every line as sent, where `headers` folds repeats. */
  rawHeaders?: readonly string[];
  /**
   * The headers the proxy will send upstream (names lower-case). Plugins
   * change this very object; the proxy sends it as it is after `access`.
   */
  upstreamHeaders: OutgoingHttpHeaders;
  routeId: string | null;
  serviceId: string | null;
  /** The matched route's path-regex captures as the router gives them (numbered and named groups); null without a regex path. */
  uriCaptures?: object | null;
  /** Buffers the whole request body (called at most once, by `readBody`). */
  readBody: () => Promise<Buffer>;
  /** When the proxy received the request (`performance.now()` ms). */
  startedAt?: number;
  /** The request target as the client sent it, path and query (nginx's `$request_uri`; hmac-auth signs it). */
  requestUri?: string;
  /** The HTTP version as Node gives it: `1.1`, `1.0`, `2.0`. */
  httpVersion?: string;
  /** A gRPC call (Kong's `is_grpc_request`): plugins run on it when their `protocols` have `grpc` (h2c) or `grpcs` (TLS). */
  grpc?: boolean;
}

/**
 * One request as plugins see it (Kong's PDK: `kong.request`, `kong.service.request`,
 * `kong.client`, `kong.response`, `kong.ctx.plugin`). The proxy creates one per
 * request, runs the chain's phases on it, and then reads back what plugins
 * decided: `exitResponse`, the upstream overrides and `responseHeaders`.
 * Invariant: once `exitResponse` is set, `access` of later plugins does not run.
 */
export class PluginContext {
  readonly method: string;
  readonly scheme: 'http' | 'https';
  /** A gRPC call: which of the plugin's `protocols` apply is `grpc`/`grpcs`, not `http`/`https`. */
  readonly grpc: boolean;
  readonly host: string;
  readonly path: string;
  readonly clientIp: string;
  readonly headers: IncomingHttpHeaders;
  readonly upstreamHeaders: OutgoingHttpHeaders;
  readonly routeId: string | null;
  readonly serviceId: string | null;
  readonly startedAt: number;
  /** The matched route's regex captures (Kong's `uri_captures`), null when none. */
  readonly uriCaptures: object | null;
  /** The request target as sent (path and query), for signatures over it. */
  readonly requestUri: string;
  /** `1.1`, `1.0` or `2.0`. */
  readonly httpVersion: string;

  consumer: ConsumerInfo | null = null;
  credential: CredentialInfo | null = null;
  /** Set by `exit`/`error`: the proxy answers this instead of calling the upstream. */
  exitResponse: PluginExit | null = null;
  /** Upstream overrides; null means "as the proxy computed it". */
  upstreamMethod: string | null = null;
  upstreamPath: string | null = null;
  /** The upstream path the router computed (strip_path, the service's path), set by the proxy once routed; log entries read it. */
  routedUpstreamPath: string | null = null;
  upstreamQuery: string | null = null;
  upstreamBody: Buffer | null = null;
  /** The response status, known from `beginResponse` on. */
  status = 0;
  /**
   * Headers for the client, names lower-case: those set during access, then
   * (from `beginResponse` on) the upstream's with the access ones over them.
   */
  responseHeaders: OutgoingHttpHeaders = {};
  /** Milliseconds spent waiting on the upstream, when it was called. */
  upstreamLatencyMs: number | null = null;

  private rawQuery: string;
  private readonly rawHeaders: readonly string[] | undefined;
  private parsedQuery: URLSearchParams | null = null;
  private bodyPromise: Promise<Buffer> | null = null;
  private readonly bodyReader: () => Promise<Buffer>;
  private scratch: Map<string, unknown> | null = null;

  constructor(facts: RequestFacts) {
    this.method = facts.method;
    this.scheme = facts.scheme;
    this.grpc = facts.grpc ?? false;
    this.host = facts.host;
    this.path = facts.path;
    this.rawQuery = facts.rawQuery;
    this.clientIp = facts.clientIp;
    this.headers = facts.headers;
    this.rawHeaders = facts.rawHeaders;
    this.upstreamHeaders = facts.upstreamHeaders;
    this.routeId = facts.routeId;
    this.serviceId = facts.serviceId;
    this.uriCaptures = facts.uriCaptures ?? null;
    this.requestUri = facts.requestUri ?? (facts.rawQuery === '' ? facts.path : `${facts.path}?${facts.rawQuery}`);
    this.httpVersion = facts.httpVersion ?? '1.1';
    this.bodyReader = facts.readBody;
    this.startedAt = facts.startedAt ?? performance.now();
  }

  /** A client request header's value; repeated headers joined by ", " as Node does. */
  header(name: string): string | undefined {
    const v = this.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  }

  /**
   * Every value of a client request header, one per line as sent (`name` lower-case).
   * Node keeps only the first line of some headers and joins others with ", ";
   * this tells two lines from one line with a comma, as Kong's `get_headers` does.
   */
  headerLines(name: string): string[] {
    const folded = this.headers[name];
    if (folded === undefined) return [];
    if (this.rawHeaders === undefined) return Array.isArray(folded) ? folded : [folded];
    const lines: string[] = [];
    const raw = this.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const n = raw[i];
      if (n?.length === name.length && n.toLowerCase() === name) lines.push(raw[i + 1] ?? '');
    }
    return lines;
  }

  /** The query as sent upstream; mutate it, then call `setQuery` to send the change. */
  query(): URLSearchParams {
    return (this.parsedQuery ??= new URLSearchParams(this.upstreamQuery ?? this.rawQuery));
  }

  /** The query string as the upstream will get it so far (the client's, or what plugins set), without '?'. */
  get requestQuery(): string {
    return this.upstreamQuery ?? this.rawQuery;
  }

  /** Sends these query arguments upstream instead of the client's. */
  setQuery(params: URLSearchParams): void {
    this.parsedQuery = params;
    this.upstreamQuery = params.toString();
  }

  /** The whole request body (read once, then cached). */
  readBody(): Promise<Buffer> {
    return (this.bodyPromise ??= this.bodyReader());
  }

  /** Whether some plugin buffered the body (the proxy then sends the buffer, not the stream). */
  get bodyWasRead(): boolean {
    return this.bodyPromise !== null;
  }

  /** Marks the request authenticated (Kong's `kong.client.authenticate`). */
  authenticate(consumer: ConsumerInfo | null, credential: CredentialInfo | null): void {
    this.consumer = consumer;
    this.credential = credential;
  }

  /** Answers the request with `body` (an object is sent as JSON). */
  exit(status: number, body?: Buffer | string | object, headers?: OutgoingHttpHeaders): void {
    if (headers) for (const k of Object.keys(headers)) this.responseHeaders[k.toLowerCase()] = headers[k];
    let buf: Buffer;
    let grpcMessage: string | undefined;
    if (body === undefined) buf = Buffer.alloc(0);
    else if (Buffer.isBuffer(body)) buf = body;
    else if (typeof body === 'string') {
      buf = Buffer.from(body);
      grpcMessage = body;
    } else {
      buf = Buffer.from(JSON.stringify(body));
      this.responseHeaders['content-type'] ??= JSON_CONTENT_TYPE;
      const message = (body as { message?: unknown }).message;
      if (typeof message === 'string') grpcMessage = message;
    }
    this.exitResponse = { status, body: buf, grpcMessage };
  }

  /** Answers `{"message": …}` with Kong's default message for the status (Kong's `kong.response.error`). */
  error(status: number, message?: string, headers?: OutgoingHttpHeaders): void {
    this.exit(status, errorBody(status, message), headers);
    // Kong's error() on a gRPC request sends the status's name, not the message.
    if (this.exitResponse !== null) this.exitResponse.grpcMessage = undefined;
  }

  /** Called by the proxy once the response status and headers are known (before `headerFilter`). */
  beginResponse(status: number, headers: OutgoingHttpHeaders): void {
    this.status = status;
    const fromAccess = this.responseHeaders;
    this.responseHeaders = headers;
    for (const k of Object.keys(fromAccess)) headers[k] = fromAccess[k];
  }

  /** Adds a value to a response header (Kong's `kong.response.add_header`). */
  addResponseHeader(name: string, value: string): void {
    const cur = this.responseHeaders[name];
    if (cur === undefined) this.responseHeaders[name] = value;
    else this.responseHeaders[name] = Array.isArray(cur) ? [...cur, value] : [String(cur), value];
  }

  /** Per-request private state of one plugin (Kong's `kong.ctx.plugin`). */
  get(key: string): unknown {
    return this.scratch?.get(key);
  }

  set(key: string, value: unknown): void {
    (this.scratch ??= new Map()).set(key, value);
  }
}
