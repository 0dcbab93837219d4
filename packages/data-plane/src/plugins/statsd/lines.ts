import os from 'node:os';
import type { StatsdConfig, StatsdMetric } from './schema';

/** Kong's one-letter StatsD kinds by stat_type. */
const KINDS: Record<StatsdMetric['stat_type'], string> = { gauge: 'g', counter: 'c', timer: 'ms', histogram: 'h', meter: 'm', set: 's' };

/** The node name as Kong puts it in metric names: the host name, dots as underscores. */
export const NODE_NAME = os.hostname().replace(/\./g, '_');

/** What one request gives the metrics (Kong's serialized log message, the parts statsd reads). */
export interface StatsdFacts {
  status: number;
  /** The matched service, or null (Kong's `global.unmatched` scope). */
  service: { id: string; name: string | null; host: string | null } | null;
  route: { id: string; name: string | null } | null;
  consumer: { id: string; username: string | null; custom_id: string | null } | null;
  requestSize: number;
  responseSize: number;
  /** Milliseconds: the whole request, the upstream's part (-1 when not called), Gatehouse's part. */
  latency: number;
  upstreamLatency: number;
  kongLatency: number;
}

type Tags = Record<string, string | number>;

/** One StatsD line (Kong's create_statsd_message), tagged when a tag style is set and tags exist. */
export function statsdLine(
  prefix: string,
  stat: string,
  value: string | number,
  kind: string,
  rate: number | null,
  tags?: Tags,
  style?: string | null,
): string {
  const r = rate !== null && rate !== 1 ? `|@${rate}` : '';
  if (tags === undefined || style === null || style === undefined) return `${prefix}.${stat}:${value}|${kind}${r}`;
  const pairs = (sep: string) =>
    Object.entries(tags)
      .map(([k, v]) => `${k}${sep}${v}`)
      .join(',');
  switch (style) {
    case 'dogstatsd':
      return `${prefix}.${stat}:${value}|${kind}${r}|#${pairs(':')}`;
    case 'influxdb':
      return `${prefix}.${stat},${pairs('=')}:${value}|${kind}${r}`;
    case 'librato':
      return `${prefix}.${stat}#${pairs('=')}:${value}|${kind}${r}`;
    default:
      return `${prefix}.${stat}[${pairs('=')}]:${value}|${kind}${r}`;
  }
}

function consumerId(f: StatsdFacts, which: string): string | null {
  const c = f.consumer;
  if (c === null) return null;
  return which === 'consumer_id' ? c.id : which === 'username' ? c.username : c.custom_id;
}

function serviceId(f: StatsdFacts, which: string): string | null {
  const s = f.service;
  if (s === null) return null;
  if (which === 'service_id') return s.id;
  if (which === 'service_name') return s.name;
  if (which === 'service_host') return s.host;
  return s.name ?? s.host;
}

/** Gatehouse has one workspace, `default` (docs/PLUGINS.md): its id and its name are both `default`. */
const WORKSPACE = 'default';

function scopeName(f: StatsdFacts, which: string): string {
  if (f.service === null) return 'global.unmatched';
  const name = serviceId(f, which);
  return `service.${name === null ? 'unnamed' : name.replace(/\./g, '_')}`;
}

function tagsOf(f: StatsdFacts, conf: StatsdConfig, m: StatsdMetric): Tags | undefined {
  const service = serviceId(f, m.service_identifier ?? conf.service_identifier_default);
  if (service === null) return undefined;
  const tags: Tags = { service };
  if (f.route !== null) tags.route = f.route.name ?? f.route.id;
  tags.workspace = WORKSPACE;
  const consumer = consumerId(f, m.consumer_identifier ?? conf.consumer_identifier_default);
  if (consumer !== null) tags.consumer = consumer;
  tags.node = NODE_NAME;
  tags.status = f.status;
  return tags;
}

const SIMPLE: Record<string, { stat: string; value: (f: StatsdFacts) => number }> = {
  request_size: { stat: 'request.size', value: (f) => f.requestSize },
  response_size: { stat: 'response.size', value: (f) => f.responseSize },
  latency: { stat: 'latency', value: (f) => f.latency },
  upstream_latency: { stat: 'upstream_latency', value: (f) => f.upstreamLatency },
  kong_latency: { stat: 'kong_latency', value: (f) => f.kongLatency },
  request_count: { stat: 'request.count', value: () => 1 },
};

/** Whether a status is in one of the `allow_status_codes` ranges (all pass when unset). */
export function statusAllowed(ranges: readonly string[] | null, status: number): boolean {
  if (ranges === null) return true;
  return ranges.some((r) => {
    const [lo, hi] = r.split('-').map(Number);
    return lo !== undefined && hi !== undefined && status >= lo && status <= hi;
  });
}

/** The prefix lines start with: `prefix`, plus `.node.<host>` with `hostname_in_prefix` (untagged only). */
export function linePrefix(conf: StatsdConfig): string {
  return conf.hostname_in_prefix && conf.tag_style === null ? `${conf.prefix}.node.${NODE_NAME}` : conf.prefix;
}

/**
 * Every StatsD line one request gives, in the order of `conf.metrics`, with
 * Kong's names (statsd/log.lua): `<prefix>.service.<service>.request.count`,
 * `….status.<code>`, `….user.<consumer>.request.count`, and so on.
 */
export function metricLines(conf: StatsdConfig, f: StatsdFacts): string[] {
  const prefix = linePrefix(conf);
  const style = conf.tag_style;
  const out: string[] = [];
  const send = (stat: string, value: string | number, kind: string, rate: number | null, tags?: Tags) =>
    out.push(statsdLine(prefix, stat, value, kind, rate, tags, style));
  for (const m of conf.metrics) {
    const scope = scopeName(f, m.service_identifier ?? conf.service_identifier_default);
    const consumer = () => consumerId(f, m.consumer_identifier ?? conf.consumer_identifier_default);
    const rate = m.sample_rate;
    const simple = SIMPLE[m.name];
    if (simple !== undefined) {
      const value = simple.value(f);
      if (value === -1) continue;
      if (style !== null) send(simple.stat, value, KINDS[m.stat_type], rate, tagsOf(f, conf, m));
      else send(`${scope}.${simple.stat}`, value, KINDS[m.stat_type], rate);
      continue;
    }
    // The per-name metrics below are skipped in tag mode, as Kong does.
    if (style !== null) continue;
    const c = consumer();
    switch (m.name) {
      case 'unique_users':
        if (c !== null) send(`${scope}.user.uniques`, c, KINDS.set, null);
        break;
      case 'request_per_user':
        if (c !== null) send(`${scope}.user.${c}.request.count`, 1, KINDS.counter, rate);
        break;
      case 'status_count':
        send(`${scope}.status.${f.status}`, 1, KINDS.counter, rate);
        break;
      case 'status_count_per_user':
        if (c !== null) send(`${scope}.user.${c}.status.${f.status}`, 1, KINDS.counter, rate);
        break;
      case 'status_count_per_workspace':
        send(`${scope}.workspace.${WORKSPACE}.status.${f.status}`, 1, KINDS.counter, rate);
        break;
      case 'status_count_per_user_per_route':
        if (c !== null && f.route !== null) send(`route.${f.route.id}.user.${c}.status.${f.status}`, 1, KINDS.counter, rate);
        break;
      default:
        // shdict_usage: Gatehouse has no nginx shared dictionaries (docs/PLUGINS.md).
        break;
    }
  }
  return out;
}
