import type { LiveEntities } from '../plugins/runtime';
import type { CompiledConfig } from './compiled';

/** Joins a service and a route into one set key (NUL appears in neither an id nor a name). */
export function seriesKey(service: string, route: string): string {
  return `${service}\u0000${route}`;
}

/**
 * What a config swapped in still has: route, service and plugin ids, and the
 * (service, route) pairs a request can still be counted under, by id
 * (`gatehouse_*` series) and by label (the prometheus plugin's `kong_*`
 * series: name, else id). `''` stands for "none", so requests that matched no
 * route stay live. State kept across snapshots keeps only what these name.
 */
export function liveEntities(c: CompiledConfig): LiveEntities {
  const seriesById = new Set<string>([seriesKey('', '')]);
  const seriesByLabel = new Set<string>([seriesKey('', '')]);
  for (const r of c.routes.values()) {
    const s = r.service;
    seriesById.add(seriesKey(s?.id ?? '', r.id));
    seriesByLabel.add(seriesKey(s === null ? '' : (s.name ?? s.id), r.name ?? r.id));
  }
  return {
    routeIds: new Set(c.config.routes.map((r) => r.id)),
    serviceIds: new Set(c.services.keys()),
    pluginIds: new Set(c.config.plugins.map((p) => p.id)),
    seriesById,
    seriesByLabel,
    consumerLabels: new Set([...c.consumers.values()].map((consumer) => consumer.username ?? consumer.id)),
  };
}
