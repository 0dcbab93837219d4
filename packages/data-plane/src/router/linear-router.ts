import type { Router, RouterRoute, RouteMatch, RouteRequest } from './types';
import { matchEntry, rankRoutes, type RouteEntry } from './route-entry';

/**
 * The reference router: tries every entry in priority order. Too slow for
 * large configs (it scans all routes), it exists as the executable statement
 * of Kong's rules that the indexed router is checked against.
 */
export function createLinearRouter<T>(routes: readonly RouterRoute<T>[]): Router<T> {
  const entries: RouteEntry<T>[] = rankRoutes(routes);
  return {
    size: routes.length,
    match(req: RouteRequest): RouteMatch<T> | null {
      for (const e of entries) {
        const m = matchEntry(e, req);
        if (m) return m;
      }
      return null;
    },
  };
}
