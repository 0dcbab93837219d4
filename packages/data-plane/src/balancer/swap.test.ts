import pino from 'pino';
import { gateway, route, service, target, upstream } from '../../../../test/support/config-builder';
import { Engine } from '../engine/engine';
import { PluginRuntime } from '../plugins/runtime';
import { UpstreamPools } from '../upstream/pools';

const log = pino({ level: 'silent' });
const hash = (n: number): string => String(n).padStart(64, '0');

describe('balancers across config swaps', () => {
  const up = upstream({ name: 'Pool.Test' });
  const targets = [target(up, { target: '10.0.0.1:80' }), target(up, { target: '10.0.0.2:80' }), target(up, { target: '10.0.0.3:80' })];
  const svc = service({ name: 'balanced', host: 'pool.test' });
  const plain = service({ name: 'plain', host: 'plain.internal' });
  const routes = [route({ service: svc, paths: ['/a'] }), route({ service: plain, paths: ['/b'] })];

  function setup(): { engine: Engine; pools: UpstreamPools } {
    const pools = new UpstreamPools({ retireGraceMs: 60_000 });
    return { engine: new Engine({ pluginRuntime: new PluginRuntime(log), pools, log }), pools };
  }

  it("resolves a service whose host names an upstream (case-insensitively) to the upstream's targets; others keep none", () => {
    const { engine, pools } = setup();
    engine.apply(gateway({ upstreams: [up], targets, services: [svc, plain], routes }), { version: 1, hash: hash(1) });
    const compiled = engine.compiled;
    expect(compiled?.services.get(svc.id)?.balancer?.peers.map((p) => [p.target, p.hostHeader])).toEqual([
      ['10.0.0.1:80', '10.0.0.1'],
      ['10.0.0.2:80', '10.0.0.2'],
      ['10.0.0.3:80', '10.0.0.3'],
    ]);
    expect(compiled?.services.get(plain.id)?.balancer).toBeNull();
    // The two services' own hosts and one pool per target.
    expect(pools.counts.pools).toBe(5);
    pools.destroy();
  });

  it('keeps a balancer (and its rotation) while its upstream and targets are unchanged, and rebuilds it when a weight changes', () => {
    const { engine, pools } = setup();
    engine.apply(gateway({ upstreams: [up], targets, services: [svc, plain], routes }), { version: 1, hash: hash(1) });
    const first = engine.compiled?.balancers.get('pool.test');
    engine.apply(gateway({ upstreams: [up], targets, services: [svc, plain], routes: routes.slice(0, 1) }), { version: 2, hash: hash(2) });
    expect(engine.compiled?.balancers.get('pool.test')).toBe(first);
    const reweighted = [{ ...targets[0], weight: 5 }, targets[1], targets[2]] as typeof targets;
    engine.apply(gateway({ upstreams: [up], targets: reweighted, services: [svc, plain], routes }), { version: 3, hash: hash(3) });
    expect(engine.compiled?.balancers.get('pool.test')).not.toBe(first);
    pools.destroy();
  });

  it('retires the pools of removed targets at the swap', () => {
    const { engine, pools } = setup();
    engine.apply(gateway({ upstreams: [up], targets, services: [svc, plain], routes }), { version: 1, hash: hash(1) });
    expect(pools.counts).toMatchObject({ pools: 5, retiring: 0 });
    engine.apply(gateway({ upstreams: [up], targets: targets.slice(0, 1), services: [svc, plain], routes }), { version: 2, hash: hash(2) });
    expect(pools.counts).toMatchObject({ pools: 3, retiring: 2 });
    pools.destroy();
  });
});
