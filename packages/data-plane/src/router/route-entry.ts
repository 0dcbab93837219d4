import { pathBytes, thrownMessage } from '@gatehouse/protocol';
import type { RouterRoute, RouteMatch, RouteRequest } from './types';
import { compileHost, hostMatches, type HostPattern } from './host';
import { compileRegexPath } from './regex-path';
import { compileHeaderConditions, headersMatch, type HeaderCondition } from './header-match';
import { compileSni, normalizeSni, sniMatches, type SniPattern } from './sni-match';
import { uriCaptures } from './uri-captures';

type PathCondition = { kind: 'prefix'; value: string } | { kind: 'regex'; re: RegExp } | null;

/**
 * One (route, path, host group) triple. As in Kong, a route with several
 * paths is split so each path is ranked on its own (a route's regex path
 * outranks its prefixes); its hosts are split the same way into those that
 * name a port and those that do not, so a port-specific host outranks the
 * same host without a port for the requests it matches. The priority fields
 * follow docs/PROXY.md (Routing): Kong's traditional_compatible priority,
 * then the traditional router's rules for what that priority leaves tied.
 */
export interface RouteEntry<T> {
  route: RouterRoute<T>;
  /** Position in priority order across the whole router; lower wins. */
  rank: number;
  methods: ReadonlySet<string> | null;
  /** This entry's host group (all of them with a port, or all without). */
  hosts: readonly HostPattern[] | null;
  headers: readonly HeaderCondition[] | null;
  /** The route's `snis`, checked on TLS requests only. */
  snis: readonly SniPattern[] | null;
  path: PathCondition;
  /** Number of fields with conditions (methods, hosts, headers, paths, snis). */
  weight: number;
  /** The route's hosts (all of them, not only this group's) are all plain: Kong's rule is per route. */
  plainHostsOnly: boolean;
  headerCount: number;
  regexPriority: number;
  pathLength: number;
  /**
   * Kong's traditional router's category order for routes of equal
   * priority: hosts (8) over headers (4) over paths (2) over methods (1),
   * compared as a number.
   */
  category: number;
  /** 1 when this entry's hosts name a port. */
  hostPort: number;
  pathIndex: number;
  hostGroup: number;
}

type SharedFields<T> = Pick<RouteEntry<T>, 'methods' | 'headers' | 'snis' | 'weight' | 'plainHostsOnly' | 'headerCount' | 'category'>;

/** A route's hosts split into those naming a port and those not (Kong splits a route's paths the same way). */
interface HostGroup {
  hosts: readonly HostPattern[] | null;
  hostPort: number;
  index: number;
}

function makeEntry<T>(route: RouterRoute<T>, shared: SharedFields<T>, group: HostGroup, path: PathCondition, pathIndex: number): RouteEntry<T> {
  // Every entry is built with the same fields in the same order, so V8 keeps one shape for them all.
  return {
    route,
    rank: 0,
    methods: shared.methods,
    hosts: group.hosts,
    headers: shared.headers,
    snis: shared.snis,
    path,
    weight: shared.weight,
    plainHostsOnly: shared.plainHostsOnly,
    headerCount: shared.headerCount,
    regexPriority: path !== null && path.kind === 'regex' ? route.regex_priority : 0,
    pathLength: path !== null && path.kind === 'prefix' ? path.value.length : 0,
    category: shared.category,
    hostPort: group.hostPort,
    pathIndex,
    hostGroup: group.index,
  };
}

const NO_HOSTS: HostGroup[] = [{ hosts: null, hostPort: 0, index: 0 }];

function hostGroups(hosts: readonly HostPattern[] | null): HostGroup[] {
  if (hosts === null) return NO_HOSTS;
  const withPort = hosts.filter((h) => h.port !== null);
  const withoutPort = hosts.filter((h) => h.port === null);
  const groups: HostGroup[] = [];
  if (withPort.length > 0) groups.push({ hosts: withPort, hostPort: 1, index: 0 });
  if (withoutPort.length > 0) groups.push({ hosts: withoutPort, hostPort: 0, index: groups.length });
  return groups;
}

function compilePath(routeId: string, p: string): PathCondition {
  // Requests are matched as bytes (normalizePath decodes escapes to one character per byte), as Kong compares them.
  if (!p.startsWith('~')) return { kind: 'prefix', value: pathBytes(p) };
  try {
    return { kind: 'regex', re: compileRegexPath(p.slice(1)) };
  } catch (err) {
    throw new Error(`route ${routeId}: invalid regex path ${JSON.stringify(p)}: ${thrownMessage(err)}`, { cause: err });
  }
}

/** Compiles a route into one entry per path (one entry when it has no paths). Throws naming the route on a bad regex. */
export function compileRoute<T>(route: RouterRoute<T>): RouteEntry<T>[] {
  let methods: Set<string> | null = null;
  if (route.methods.length > 0) {
    methods = new Set<string>();
    for (const m of route.methods) methods.add(m.toUpperCase());
  }
  let hosts: HostPattern[] | null = null;
  let plainHostsOnly = false;
  if (route.hosts.length > 0) {
    hosts = [];
    plainHostsOnly = true;
    for (const h of route.hosts) {
      const c = compileHost(h);
      if (c.kind !== 'plain') plainHostsOnly = false;
      hosts.push(c);
    }
  }
  let headers: HeaderCondition[] | null = null;
  for (const _name in route.headers) {
    try {
      headers = compileHeaderConditions(route.headers);
    } catch (err) {
      throw new Error(`route ${route.id}: invalid header regex: ${thrownMessage(err)}`, { cause: err });
    }
    if (headers.length === 0) headers = null;
    break;
  }
  const hasPaths = route.paths.length > 0;
  const snis = route.snis !== undefined && route.snis.length > 0 ? route.snis.map(compileSni) : null;
  // Kong's match weight counts snis as one more condition (router/transform.lua get_priority).
  const weight = (methods ? 1 : 0) + (hosts ? 1 : 0) + (headers ? 1 : 0) + (hasPaths ? 1 : 0) + (snis ? 1 : 0);
  const category = (hosts ? 8 : 0) | (headers ? 4 : 0) | (hasPaths ? 2 : 0) | (methods ? 1 : 0);
  const shared: SharedFields<T> = { methods, headers, snis, weight, plainHostsOnly, headerCount: headers?.length ?? 0, category };
  const groups = hostGroups(hosts);
  const paths: PathCondition[] = hasPaths ? route.paths.map((p) => compilePath(route.id, p)) : [null];
  const out: RouteEntry<T>[] = [];
  for (const group of groups) for (const [i, path] of paths.entries()) out.push(makeEntry(route, shared, group, path, i));
  return out;
}

const flag = (b: boolean): number => (b ? 1 : 0);

/**
 * Kong's order. First its traditional_compatible priority: more
 * conditions; plain hosts over wildcards; more headers; regex paths before
 * prefixes (highest regex_priority first); longer prefixes. Where that
 * priority ties (Kong's ATC router then goes by route id), the traditional
 * router's rules: the higher category (hosts over headers over paths over
 * methods), then hosts with a port over hosts without. Only then older
 * routes, then id and position so the order is total.
 */
export function compareEntries<T>(a: RouteEntry<T>, b: RouteEntry<T>): number {
  const aRegex = a.path?.kind === 'regex';
  const bRegex = b.path?.kind === 'regex';
  return (
    b.weight - a.weight ||
    flag(b.plainHostsOnly) - flag(a.plainHostsOnly) ||
    b.headerCount - a.headerCount ||
    flag(bRegex) - flag(aRegex) ||
    b.regexPriority - a.regexPriority ||
    b.pathLength - a.pathLength ||
    b.category - a.category ||
    b.hostPort - a.hostPort ||
    // A full tie: Kong's ATC router keeps matchers keyed by (priority, route id) and tries the highest first.
    (a.route.id > b.route.id ? -1 : a.route.id < b.route.id ? 1 : 0) ||
    a.pathIndex - b.pathIndex ||
    a.hostGroup - b.hostGroup
  );
}

/** Compiles and ranks a whole route set: entries in priority order, each with its rank. */
export function rankRoutes<T>(routes: readonly RouterRoute<T>[]): RouteEntry<T>[] {
  const entries: RouteEntry<T>[] = [];
  for (const r of routes) for (const e of compileRoute(r)) entries.push(e);
  entries.sort(compareEntries);
  for (const [i, e] of entries.entries()) e.rank = i;
  return entries;
}

/** Routes compiled, or entries sorted or merged, between two yields of `rankRouteSteps`. */
const STEP = 512;

/**
 * `rankRoutes` as a generator that yields every few hundred routes or
 * entries, so an engine applying a big config can spread the work over
 * turns of the event loop. The sort is a bottom-up merge sort (runs sorted
 * natively, then merged a slice at a time): `compareEntries` is a total
 * order, so the result is exactly `rankRoutes`' (the conformance property
 * test checks the indexed router, built this way, against the linear one,
 * built by `rankRoutes`).
 */
export function* rankRouteSteps<T>(routes: readonly RouterRoute<T>[]): Generator<void, RouteEntry<T>[], void> {
  let entries: RouteEntry<T>[] = [];
  let n = 0;
  for (const r of routes) {
    for (const e of compileRoute(r)) entries.push(e);
    if (++n % STEP === 0) yield;
  }
  for (let start = 0; start < entries.length; start += STEP) {
    const run = entries.slice(start, start + STEP).sort(compareEntries);
    for (const [i, e] of run.entries()) entries[start + i] = e;
    yield;
  }
  for (let width = STEP; width < entries.length; width *= 2) {
    const out = new Array<RouteEntry<T>>(entries.length);
    let k = 0;
    for (let lo = 0; lo < entries.length; lo += 2 * width) {
      let i = lo;
      const mid = Math.min(lo + width, entries.length);
      let j = mid;
      const hi = Math.min(lo + 2 * width, entries.length);
      while (i < mid || j < hi) {
        const left = i < mid ? entries[i] : undefined;
        const right = j < hi ? entries[j] : undefined;
        if (left !== undefined && (right === undefined || compareEntries(left, right) <= 0)) {
          out[k++] = left;
          i++;
        } else if (right !== undefined) {
          out[k++] = right;
          j++;
        } else break; // not reached: i < mid or j < hi holds an entry
        if (k % STEP === 0) yield;
      }
    }
    entries = out;
  }
  for (const [i, e] of entries.entries()) e.rank = i;
  return entries;
}

/**
 * Tests one entry against a request; answers the match or null. The
 * prefix/regex result is computed here so callers need no second pass.
 */
export function matchEntry<T>(e: RouteEntry<T>, req: RouteRequest): RouteMatch<T> | null {
  if (e.methods !== null && !e.methods.has(req.method)) return null;
  let prefix = '';
  let captures: RegExpExecArray | null = null;
  const path = e.path;
  if (path !== null) {
    if (path.kind === 'prefix') {
      if (!req.path.startsWith(path.value)) return null;
      prefix = path.value;
    } else {
      captures = path.re.exec(req.path);
      if (captures === null) return null;
      prefix = captures[0];
    }
  }
  if (e.hosts !== null) {
    let ok = false;
    for (const h of e.hosts) {
      if (hostMatches(h, req.host, req.port)) {
        ok = true;
        break;
      }
    }
    if (!ok) return null;
  }
  if (e.headers !== null && !headersMatch(e.headers, req.headers)) return null;
  if (e.snis !== null && req.sni !== undefined && !sniMatches(e.snis, req.sni === null ? null : normalizeSni(req.sni))) return null;
  return { payload: e.route.payload, prefix, captures, uriCaptures: captures === null ? null : uriCaptures(captures) };
}
