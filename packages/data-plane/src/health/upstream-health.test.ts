import { healthchecks, type Healthchecks } from '@gatehouse/protocol';
import { RoundRobin } from '../balancer/round-robin';
import { ConsistentHashing } from '../balancer/consistent-hashing';
import { LeastConnections } from '../balancer/least-connections';
import { Latency } from '../balancer/latency';
import type { BalancerEntry } from '../balancer/types';
import { UpstreamHealth } from './upstream-health';

const entry = (n: number, weight = 100): BalancerEntry => ({ target: `10.0.0.${n}:80`, host: `10.0.0.${n}`, port: 80, weight });
const hc = (input: unknown): Healthchecks => healthchecks.parse(input);
const ID = '00000000-0000-4000-8000-000000000001';

describe('upstream health', () => {
  it("Kong's defaults: every counter off, targets HEALTHCHECKS_OFF, passive statuses and active defaults", () => {
    const d = hc(undefined);
    expect(d.active).toMatchObject({
      type: 'http',
      http_path: '/',
      timeout: 1,
      concurrency: 10,
      https_verify_certificate: true,
      https_sni: null,
      headers: null,
    });
    expect(d.active.healthy).toEqual({ interval: 0, http_statuses: [200, 302], successes: 0 });
    expect(d.active.unhealthy).toEqual({
      interval: 0,
      http_statuses: [429, 404, 500, 501, 502, 503, 504, 505],
      tcp_failures: 0,
      timeouts: 0,
      http_failures: 0,
    });
    expect(d.passive.unhealthy).toEqual({ http_statuses: [429, 500, 503], tcp_failures: 0, timeouts: 0, http_failures: 0 });
    expect(d.threshold).toBe(0);
    const h = new UpstreamHealth(ID, 'u', d, [entry(1)]);
    expect(h.enabled).toBe(false);
    expect(h.healthOf(0)).toBe('HEALTHCHECKS_OFF');
    for (let i = 0; i < 10; i++) h.reportStatus(0, 500);
    expect(h.isHealthy(0)).toBe(true);
  });

  it('passive: unhealthy statuses count as HTTP failures; the target leaves every algorithm and a manual override brings it back', () => {
    const entries = [entry(1), entry(2), entry(3)];
    const h = new UpstreamHealth(ID, 'u', hc({ passive: { unhealthy: { http_failures: 2 } } }), entries);
    const changes: number[] = [];
    h.onChange(() => changes.push(1));
    h.reportStatus(1, 500);
    h.reportStatus(1, 404); // not in the passive unhealthy list
    expect(h.healthOf(1)).toBe('HEALTHY');
    h.reportStatus(1, 503);
    expect(h.healthOf(1)).toBe('UNHEALTHY');
    expect(changes).toHaveLength(1);
    for (const a of [new RoundRobin(entries), new ConsistentHashing(entries, 1000), new LeastConnections(entries), new Latency(entries)]) {
      for (let i = 0; i < 300; i++) expect(a.pick(`k${i}`, -1, h.down)).not.toBe(1);
      // A retry after a failure on 0 goes to 2: 1 is down.
      expect(a.pick('k', 0, h.down)).toBe(2);
    }
    expect(h.set('10.0.0.2:80', true)).toBe(true);
    expect(h.healthOf(1)).toBe('HEALTHY');
    expect(h.set('10.0.0.9:80', true)).toBe(false);
  });

  it('no healthy target, or a healthy share below threshold: not available', () => {
    const entries = [entry(1, 50), entry(2, 30), entry(3, 20)];
    const h = new UpstreamHealth(ID, 'u', hc({ threshold: 60, passive: { unhealthy: { tcp_failures: 1 } } }), entries);
    expect(h.available()).toBe(true);
    h.report(2, 'tcp_failure', 'passive'); // 80% healthy
    expect(h.available()).toBe(true);
    h.report(1, 'tcp_failure', 'passive'); // 50% < 60%
    expect(h.available()).toBe(false);
    h.set('10.0.0.2:80', true);
    expect(h.available()).toBe(true);
    const all = new UpstreamHealth(ID, 'u', hc({ passive: { unhealthy: { timeouts: 1 } } }), [entry(1)]);
    all.report(0, 'timeout', 'passive');
    expect(all.available()).toBe(false);
    expect(new RoundRobin([entry(1)]).pick('', -1, all.down)).toBe(-1);
    expect(new RoundRobin([entry(1)]).pick('', 0, all.down)).toBe(-1);
  });

  it('active and passive limits are separate; state is kept by address across a rebuild', () => {
    const config = hc({ active: { healthy: { successes: 1 }, unhealthy: { tcp_failures: 1 } }, passive: { unhealthy: { tcp_failures: 5 } } });
    const h = new UpstreamHealth(ID, 'u', config, [entry(1), entry(2)]);
    h.report(1, 'tcp_failure', 'passive');
    expect(h.isHealthy(1)).toBe(true);
    h.report(1, 'tcp_failure', 'active');
    expect(h.isHealthy(1)).toBe(false);
    const rebuilt = new UpstreamHealth(ID, 'u', config, [entry(3), entry(2)], h);
    expect(rebuilt.isHealthy(0)).toBe(true);
    expect(rebuilt.isHealthy(1)).toBe(false);
    rebuilt.report(1, 'success', 'active');
    expect(rebuilt.isHealthy(1)).toBe(true);
  });
});
