import type { Router, RouterRoute, RouteMatch, RouteRequest } from './types';
import { matchEntry, rankRouteSteps, type RouteEntry } from './route-entry';

/**
 * The entries that can match under one host key. Prefix entries sit in a map
 * keyed by their prefix; a request looks up each distinct prefix length, so
 * the cost grows with the number of distinct lengths, not of routes. Regex and
 * path-less entries are few in practice and are tried in rank order.
 */
class Bucket<T> {
  readonly byPrefix = new Map<string, RouteEntry<T>[]>();
  /** Distinct prefix lengths present, ascending. */
  lengths: number[] = [];
  readonly others: RouteEntry<T>[] = [];

  add(e: RouteEntry<T>): void {
    if (e.path?.kind === 'prefix') {
      const list = this.byPrefix.get(e.path.value);
      if (list) list.push(e);
      else this.byPrefix.set(e.path.value, [e]);
    } else {
      this.others.push(e);
    }
  }

  seal(): void {
    const lengths = new Set<number>();
    for (const key of this.byPrefix.keys()) lengths.add(key.length);
    this.lengths = [...lengths].sort((a, b) => a - b);
  }

  /** The best entry of this bucket that matches and outranks `bestRank`. */
  find(req: RouteRequest, bestRank: number): { match: RouteMatch<T>; rank: number } | null {
    let found: { match: RouteMatch<T>; rank: number } | null = null;
    let limit = bestRank;
    for (const e of this.others) {
      if (e.rank >= limit) break;
      const m = matchEntry(e, req);
      if (m) {
        found = { match: m, rank: e.rank };
        limit = e.rank;
        break;
      }
    }
    const path = req.path;
    for (const len of this.lengths) {
      if (len > path.length) break;
      const list = this.byPrefix.get(len === path.length ? path : path.slice(0, len));
      if (!list) continue;
      for (const e of list) {
        if (e.rank >= limit) break;
        const m = matchEntry(e, req);
        if (m) {
          found = { match: m, rank: e.rank };
          limit = e.rank;
          break;
        }
      }
    }
    return found;
  }
}

/**
 * The production router. Entries whose hosts are all plain are filed under
 * each of their hosts; the rest (wildcard or no hosts) under a shared bucket.
 * A request looks at two buckets and, in each, at one map slot per distinct
 * prefix length: no scan of every route, whatever the number of routes.
 */
export function createIndexedRouter<T>(routes: readonly RouterRoute<T>[]): Router<T> {
  const steps = createIndexedRouterSteps(routes);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * `createIndexedRouter` as a generator that yields every few hundred routes
 * or entries (engine/steps.ts runs it in slices); the router it returns is
 * the same, and nothing of it is reachable before it returns.
 */
export function* createIndexedRouterSteps<T>(routes: readonly RouterRoute<T>[]): Generator<void, Router<T>, void> {
  const byHost = new Map<string, Bucket<T>>();
  const anyHost = new Bucket<T>();
  let n = 0;
  for (const e of yield* rankRouteSteps(routes)) {
    if (++n % 1024 === 0) yield;
    if (e.plainHostsOnly && e.hosts) {
      const seen = new Set<string>();
      for (const h of e.hosts) {
        if (seen.has(h.value)) continue;
        seen.add(h.value);
        let b = byHost.get(h.value);
        if (!b) byHost.set(h.value, (b = new Bucket<T>()));
        b.add(e);
      }
    } else {
      anyHost.add(e);
    }
  }
  for (const b of byHost.values()) b.seal();
  anyHost.seal();
  const hasHostBuckets = byHost.size > 0;
  return {
    size: routes.length,
    match(req: RouteRequest): RouteMatch<T> | null {
      let best: { match: RouteMatch<T>; rank: number } | null = null;
      if (hasHostBuckets) {
        const b = byHost.get(req.host);
        if (b) best = b.find(req, Number.MAX_SAFE_INTEGER);
      }
      const other = anyHost.find(req, best ? best.rank : Number.MAX_SAFE_INTEGER);
      if (other) return other.match;
      return best ? best.match : null;
    },
  };
}
