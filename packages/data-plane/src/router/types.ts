/**
 * A route as the router sees it: Kong's matching fields plus an opaque
 * payload the caller gets back on a match (the engine puts its compiled
 * route there). Empty arrays / objects mean "no condition on this field".
 */
export interface RouterRoute<T> {
  id: string;
  created_at: number;
  methods: readonly string[];
  hosts: readonly string[];
  paths: readonly string[];
  headers: Readonly<Record<string, readonly string[]>>;
  /** TLS server names (Kong's `snis`): checked on requests that came over TLS only. Absent: none. */
  snis?: readonly string[];
  regex_priority: number;
  payload: T;
}

/** The parts of a request the router matches on. */
export interface RouteRequest {
  /** Upper-case method, as Node gives it. */
  method: string;
  /** The normalized path, without the query string (see `normalizePath`). */
  path: string;
  /** Lower-case host from the Host header, without port; '' when absent. */
  host: string;
  /** Port from the Host header, else the scheme's default (Kong's traditional router). */
  port: number;
  /** Where header conditions read the request's headers (Node's `IncomingMessage` is one). */
  headers: RouteHeaders;
  /**
   * The TLS server name the client sent (null: none) on a request that came
   * over TLS; undefined on a plain one, where routes' `snis` are not checked
   * (Kong: `net.protocol != "https" || tls.sni == …`).
   */
  sni?: string | null;
}

/**
 * The request's headers as the router reads them: every line of each header,
 * in arrival order, under its lower-case name (Node's `req.headersDistinct`,
 * which keeps the repeated lines `req.headers` folds or drops, such as a
 * second `User-Agent`). Node builds it on first read, so passing the
 * `IncomingMessage` itself costs nothing on requests that no header condition
 * looks at. Absent: a request with no headers.
 */
export interface RouteHeaders {
  readonly headersDistinct?: Readonly<Record<string, readonly string[] | undefined>>;
}

/**
 * Kong's `uri_captures` (`ngx.ctx.router_matches.uri_captures`, read by
 * templates as `uri_captures[1]` / `uri_captures.name` and by
 * `kong.request.get_uri_captures()`), split as that PDK function splits it.
 */
export interface UriCaptures {
  /** Index 0: the whole regex match; index n: group n, undefined when that group took no part (Kong leaves it nil). */
  readonly unnamed: readonly (string | undefined)[];
  /** Named groups (`(?P<name>…)`, `(?<name>…)`) that took part, by name. */
  readonly named: Readonly<Record<string, string>>;
}

/** What a match answers. */
export interface RouteMatch<T> {
  payload: T;
  /**
   * The leading part of the request path consumed by the route's path
   * condition (the prefix, or what the regex matched); '' when the route has
   * no path condition. `strip_path` removes exactly this.
   */
  prefix: string;
  /** The regex match of a `~` path; null otherwise. */
  captures: RegExpExecArray | null;
  /**
   * The captures of a `~` path: null for a prefix path, no path, or a regex
   * without groups (as Kong, which sets `uri_captures` only when the regex
   * has groups).
   */
  uriCaptures: UriCaptures | null;
}

/**
 * One router over an immutable set of routes. Implementations differ only in
 * how fast they find the answer: all of them answer the same route for the
 * same request (router/conformance.test.ts runs each against Kong's rules).
 */
export interface Router<T> {
  /** The highest-priority route matching the request, or null. Never throws. */
  match(request: RouteRequest): RouteMatch<T> | null;
  /** Number of routes the router was built from. */
  readonly size: number;
}

/** Builds a router; throws an Error naming the route when one cannot be compiled (e.g. a bad regex). */
export type RouterFactory = <T>(routes: readonly RouterRoute<T>[]) => Router<T>;
