import type { IncomingHttpHeaders } from 'node:http';

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
  /** Request headers, names lower-case (Node's `req.headers`). */
  headers: IncomingHttpHeaders;
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
  /** The regex match of a `~` path, for plugins that use captures; null otherwise. */
  captures: RegExpExecArray | null;
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
