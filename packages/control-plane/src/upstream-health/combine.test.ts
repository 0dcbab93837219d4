import type { NodeHealth } from '../cluster/health-reports';
import { combineAddresses, combineHealth, nodeViews, type NodeTargetHealth } from './combine';

const view = (health: NodeTargetHealth['health'], n = 1, addresses: NodeTargetHealth['addresses'] = []): NodeTargetHealth => ({
  node_id: `n${n}`,
  hostname: `h${n}`,
  health,
  addresses,
});
const addr = (ip: string, health: NodeTargetHealth['health']) => ({ ip, port: 80, health, weight: 10 });

describe('target health combined over the nodes', () => {
  it('UNHEALTHY wins, then DNS_ERROR, then HEALTHY; all off is HEALTHCHECKS_OFF', () => {
    expect(combineHealth([view('HEALTHY', 1), view('UNHEALTHY', 2)], true)).toBe('UNHEALTHY');
    expect(combineHealth([view('HEALTHY', 1), view('DNS_ERROR', 2)], true)).toBe('DNS_ERROR');
    expect(combineHealth([view('HEALTHCHECKS_OFF', 1), view('HEALTHY', 2)], true)).toBe('HEALTHY');
    expect(combineHealth([view('HEALTHCHECKS_OFF', 1), view('HEALTHCHECKS_OFF', 2)], true)).toBe('HEALTHCHECKS_OFF');
  });

  it('with no node reporting: the checks decide between HEALTHY and HEALTHCHECKS_OFF', () => {
    expect(combineHealth([], true)).toBe('HEALTHY');
    expect(combineHealth([], false)).toBe('HEALTHCHECKS_OFF');
  });

  it("picks each node's view of one target of one upstream", () => {
    const nodes: NodeHealth[] = [
      {
        nodeId: 'a',
        hostname: 'ha',
        reportedAt: new Date(),
        upstreams: [{ id: 'u1', name: 'x', targets: [{ target: 't:1', weight: 1, health: 'UNHEALTHY' }] }],
      },
      { nodeId: 'b', hostname: 'hb', reportedAt: new Date(), upstreams: [{ id: 'u2', name: 'y', targets: [{ target: 't:1', weight: 1, health: 'HEALTHY' }] }] },
    ];
    expect(nodeViews(nodes, 'u1', 't:1')).toEqual([{ node_id: 'a', hostname: 'ha', health: 'UNHEALTHY', addresses: [] }]);
    expect(nodeViews(nodes, 'u1', 't:2')).toEqual([]);
  });

  it("a target's addresses over the nodes: each one any node holds, its health combined over the nodes holding it", () => {
    const views = [
      view('HEALTHY', 1, [addr('10.0.0.1', 'HEALTHY'), addr('10.0.0.2', 'UNHEALTHY')]),
      view('HEALTHY', 2, [addr('10.0.0.2', 'HEALTHY'), addr('10.0.0.3', 'HEALTHY')]),
    ];
    expect(combineAddresses(views, true)).toEqual([addr('10.0.0.1', 'HEALTHY'), addr('10.0.0.2', 'UNHEALTHY'), addr('10.0.0.3', 'HEALTHY')]);
    expect(combineAddresses([view('DNS_ERROR', 1)], true)).toEqual([]);
  });
});
