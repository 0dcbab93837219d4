import type { HealthOverride, UpstreamHealthReport } from '@gatehouse/protocol';
import type { WorkerPool } from '../workers/primary';
import { WorkerHealth } from './worker-health';

/** The part of a worker pool WorkerHealth uses, driven by the test. */
function fakePool(): { pool: WorkerPool; report(id: number, u: UpstreamHealthReport[] | null): void; pushed: HealthOverride[] } {
  let sink: ((id: number, u: UpstreamHealthReport[] | null) => void) | null = null;
  const pushed: HealthOverride[] = [];
  const pool = {
    onHealth: (fn: (id: number, u: UpstreamHealthReport[] | null) => void) => (sink = fn),
    pushHealthOverride: (o: HealthOverride) => pushed.push(o),
  } as unknown as WorkerPool;
  return { pool, report: (id, u) => sink?.(id, u), pushed };
}

const ID = '00000000-0000-4000-8000-000000000001';
const up = (a: string, b: string): UpstreamHealthReport[] => [
  {
    id: ID,
    name: 'u',
    targets: [
      { target: 'a:1', weight: 1, health: a as 'HEALTHY' },
      { target: 'b:1', weight: 1, health: b as 'HEALTHY' },
    ],
  },
];

describe("the primary's merge of its workers' health", () => {
  it('a target unhealthy in any worker is UNHEALTHY; a gone worker no longer counts; overrides go to the pool', () => {
    const f = fakePool();
    const health = new WorkerHealth(f.pool);
    let changes = 0;
    health.onChange(() => changes++);
    f.report(1, up('HEALTHY', 'HEALTHY'));
    f.report(2, up('UNHEALTHY', 'HEALTHY'));
    expect(health.report()[0]?.targets.map((t) => t.health)).toEqual(['UNHEALTHY', 'HEALTHY']);
    f.report(2, null);
    expect(health.report()[0]?.targets.map((t) => t.health)).toEqual(['HEALTHY', 'HEALTHY']);
    expect(changes).toBe(3);
    health.override(ID, 'a:1', false);
    expect(f.pushed).toEqual([{ type: 'health_override', upstream_id: ID, target: 'a:1', healthy: false }]);
  });

  it("merges each target's addresses: the worse health per address, an address only one worker resolved kept", () => {
    const f = fakePool();
    const health = new WorkerHealth(f.pool);
    const addr = (ip: string, h: string) => ({ ip, port: 80, health: h as 'HEALTHY', weight: 10 });
    const one = (addresses: ReturnType<typeof addr>[]): UpstreamHealthReport[] => [
      { id: ID, name: 'u', targets: [{ target: 'api.test:80', weight: 10, health: 'HEALTHY', addresses }] },
    ];
    f.report(1, one([addr('10.0.0.1', 'HEALTHY'), addr('10.0.0.2', 'HEALTHY')]));
    f.report(2, one([addr('10.0.0.2', 'UNHEALTHY'), addr('10.0.0.3', 'HEALTHY')]));
    expect(health.report()[0]?.targets[0]?.addresses).toEqual([addr('10.0.0.1', 'HEALTHY'), addr('10.0.0.2', 'UNHEALTHY'), addr('10.0.0.3', 'HEALTHY')]);
    // The first worker's own report is not changed by the merge.
    f.report(2, null);
    expect(health.report()[0]?.targets[0]?.addresses?.map((a) => a.health)).toEqual(['HEALTHY', 'HEALTHY']);
  });
});
