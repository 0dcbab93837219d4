import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Pool } from 'undici';
import type { GatewayConfig } from '@gatehouse/protocol';
import { consumer, gateway, plugin, route, service } from '../../../../test/support/config-builder';
import { PrometheusMetrics } from '../analytics/metrics';
import { TrafficRecorder } from '../analytics/recorder';
import { prometheusMetrics } from '../plugins/prometheus/handler';
import type { LocalCounters } from '../plugins/rate-limiting/local-counters';
import { PluginRuntime } from '../plugins/runtime';
import { UpstreamPools } from '../upstream/pools';
import { seriesKey } from './live-entities';
import { Engine } from './engine';

const log = pino({ level: 'silent' });
const CYCLES = 200;

/** Config n: one service with its own host, one route on it with rate-limiting, and a global prometheus plugin; every id fresh. */
function churnConfig(n: number): GatewayConfig {
  const svc = service({ id: randomUUID(), name: `svc-${n}`, host: `svc-${n}.internal`, port: 8000, created_at: 1 });
  const r = route({ id: randomUUID(), name: `route-${n}`, protocols: ['http'], paths: [`/r${n}`], service: svc, created_at: 1 });
  return gateway({
    services: [svc],
    routes: [r],
    plugins: [
      plugin('rate-limiting', { id: randomUUID(), route: r.id, config: { minute: 100, policy: 'local' }, protocols: ['http', 'https'], created_at: 1 }),
      plugin('prometheus', { id: randomUUID(), config: { status_code_metrics: true, latency_metrics: true }, protocols: ['http', 'https'], created_at: 1 }),
    ],
  });
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('engine: what a removed entity owned is released at the swap (#14 finding 10)', () => {
  it(`after ${CYCLES} configs with fresh services and routes, pools, counters and metrics series are those of the last config`, async () => {
    const pools = new UpstreamPools({ retireGraceMs: 50 });
    const runtime = new PluginRuntime(log);
    const engine = new Engine({ pluginRuntime: runtime, pools, log });
    const dpSeries = new PrometheusMetrics();
    engine.onSwap((_next, live) => dpSeries.retainOnly((s, r) => live.seriesById.has(seriesKey(s, r))));
    const scrape = dpSeries.collector(() => undefined);
    const recorder = new TrafficRecorder();
    const closed: boolean[] = [];
    let firstPool: Pool | null = null;

    for (let n = 0; n < CYCLES; n++) {
      engine.apply(churnConfig(n), { version: n + 1, hash: String(n).padStart(64, '0') });
      const compiled = engine.compiled!;
      const r = [...compiled.routes.values()][0]!;
      const svc = r.service!;
      firstPool ??= svc.pool;
      // What one request through this route leaves behind: a pool for its service (and one for a client SNI),
      // a rate-limit counter, plugin and DP metrics series, analytics buckets.
      svc.poolFor(`client-${n}.example.test`);
      const counters = runtime.singleton<LocalCounters>('rate-limiting:local', () => {
        throw new Error('rate-limiting did not make its counters');
      });
      const plan = compiled.config.plugins.find((p) => p.name === 'rate-limiting')!;
      counters.take(`${plan.id}|${r.id}|${svc.id}|127.0.0.1`, [0], [100], Date.now() + 60_000);
      const plugin = prometheusMetrics(runtime);
      plugin.inc('kong_http_requests_total', { service: svc.name ?? svc.id, route: r.name ?? r.id, code: '200', source: 'service', workspace: 'default' });
      plugin.observe('kong_request_latency_ms', { service: svc.name ?? svc.id, route: r.name ?? r.id, workspace: 'default' }, 3);
      const record = { routeId: r.id, serviceId: svc.id, consumerId: null, status: 200, latencyMs: 3, upstreamLatencyMs: 2 };
      dpSeries.observe(record);
      recorder.record(record);
      // Prometheus scrapes now and then (every tenth config here); the shipper drains the recorder.
      if (n % 10 === 9) {
        plugin.collect();
        scrape();
        recorder.drain();
      }
    }
    closed.push(firstPool!.closed);

    // The last config: one service pool, its one client-SNI pool; the 199 before are retiring, then closed.
    expect(pools.counts.pools).toBe(1);
    expect(pools.counts.clientSniPools).toBe(1);
    await wait(200);
    expect(pools.counts.retiring).toBe(0);
    expect(firstPool!.closed).toBe(true);
    expect(closed).toEqual([false]);
    // Rate-limit counters of removed plugins and routes are gone at the swap.
    expect(
      runtime.singleton<LocalCounters>('rate-limiting:local', () => {
        throw new Error('missing');
      }).size,
    ).toBe(1);
    // Series of removed routes were shown by one more scrape, then dropped: after the next scrape only the
    // last config's remain (one counter and one histogram for the plugin; one (service, route) for the DP).
    const last = prometheusMetrics(runtime).collect();
    const lastRoute = [...engine.compiled!.routes.values()][0]!;
    expect(last.flatMap((f) => f.samples.map((s) => s.labels?.route))).toContain(lastRoute.name);
    expect(prometheusMetrics(runtime).seriesCount).toBe(2);
    scrape();
    expect(dpSeries.seriesCount).toBe(1);
    // The recorder holds only what was counted since the last drain, and nothing once drained.
    recorder.drain();
    expect(recorder.drain()).toEqual([]);
    pools.destroy();
    await runtime.close();
  });

  it("shows a removed route's series at one more scrape with its final value, then drops it", () => {
    const runtime = new PluginRuntime(log);
    const pools = new UpstreamPools({ retireGraceMs: 10 });
    const engine = new Engine({ pluginRuntime: runtime, pools, log });
    const first = churnConfig(0);
    engine.apply(first, { version: 1, hash: '1'.repeat(64) });
    const metrics = prometheusMetrics(runtime);
    metrics.inc('kong_http_requests_total', { service: 'svc-0', route: 'route-0', code: '200', source: 'service', workspace: 'default' }, 7);
    engine.apply(churnConfig(1), { version: 2, hash: '2'.repeat(64) });
    const shown = metrics.collect().find((f) => f.name === 'kong_http_requests_total')!.samples;
    expect(shown).toEqual([{ labels: expect.objectContaining({ route: 'route-0' }) as unknown, value: 7 }]);
    expect(metrics.collect().find((f) => f.name === 'kong_http_requests_total')?.samples ?? []).toEqual([]);
    pools.destroy();
  });

  it("retires a removed consumer's series (per_consumer) while its route stays", () => {
    const runtime = new PluginRuntime(log);
    const pools = new UpstreamPools({ retireGraceMs: 10 });
    const engine = new Engine({ pluginRuntime: runtime, pools, log });
    const base = churnConfig(0);
    engine.apply({ ...base, consumers: [consumer({ username: 'alice' })] }, { version: 1, hash: '1'.repeat(64) });
    const metrics = prometheusMetrics(runtime);
    const labels = (who: string): Record<string, string> => ({
      service: 'svc-0',
      route: 'route-0',
      code: '200',
      source: 'service',
      workspace: 'default',
      consumer: who,
    });
    metrics.inc('kong_http_requests_total', labels('alice'));
    metrics.inc('kong_http_requests_total', labels(''));
    engine.apply(base, { version: 2, hash: '2'.repeat(64) });
    metrics.collect();
    const left = metrics
      .collect()
      .find((f) => f.name === 'kong_http_requests_total')
      ?.samples.map((x) => x.labels?.consumer);
    expect(left).toEqual(['']);
    pools.destroy();
  });

  it('gives a request that outlived its config a live pool when its own was retired and closed', async () => {
    const pools = new UpstreamPools({ retireGraceMs: 10 });
    const engine = new Engine({ pluginRuntime: new PluginRuntime(log), pools, log });
    engine.apply(churnConfig(0), { version: 1, hash: '1'.repeat(64) });
    const old = [...engine.compiled!.services.values()][0]!;
    engine.apply(churnConfig(1), { version: 2, hash: '2'.repeat(64) });
    await wait(100);
    expect(old.pool.closed).toBe(true);
    const reopened = old.reopenPool();
    expect(reopened.closed).toBe(false);
    // Held only until the next swap, which retires it again.
    expect(pools.counts.pools).toBe(2);
    engine.apply(churnConfig(2), { version: 3, hash: '3'.repeat(64) });
    expect(pools.counts.pools).toBe(1);
    pools.destroy();
  });

  it('keeps a pool whose upstream comes back before its grace ends', () => {
    const pools = new UpstreamPools({ retireGraceMs: 60_000 });
    const target = { scheme: 'http' as const, host: 'a.internal', port: 80, connectTimeout: 1000, servername: undefined, tls: null };
    const pool = pools.get(target);
    pools.retainOnly([]);
    expect(pools.counts).toEqual({ pools: 0, clientSniPools: 0, retiring: 1 });
    expect(pools.get(target)).toBe(pool);
    expect(pools.counts).toEqual({ pools: 1, clientSniPools: 0, retiring: 0 });
    expect(pool.closed).toBe(false);
    pools.destroy();
  });
});
