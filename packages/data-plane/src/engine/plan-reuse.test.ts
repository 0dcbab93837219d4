import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { GatewayConfig, Plugin, Route } from '@gatehouse/protocol';
import { gateway, plugin, route as storedRoute, service } from '../../../../test/support/config-builder';
import { PluginRuntime } from '../plugins/runtime';
import { UpstreamPools } from '../upstream/pools';
import { Engine } from './engine';

const log = pino({ level: 'silent' });
const svc = service({ name: 'svc', host: '127.0.0.1', port: 9, created_at: 1 });

function route(id: string, paths: string[], name: string | null = null): Route {
  return storedRoute({ id, name, protocols: ['http'], paths, service: svc, created_at: 1 });
}

function limit(minute: number, routeId: string): Plugin {
  return plugin('rate-limiting', {
    id: '00000000-0000-4000-8000-000000000001',
    config: { minute, policy: 'local' },
    route: routeId,
    protocols: ['http', 'https'],
    created_at: 1,
  });
}

function config(routes: Route[], plugins: Plugin[]): GatewayConfig {
  return gateway({ services: [svc], routes, plugins });
}

describe('engine: plugin plan reuse across applies', () => {
  const pools = new UpstreamPools();
  afterAll(() => pools.destroy());
  const a = randomUUID();
  const b = randomUUID();

  it('reuses the plan when only route paths change, so a small change does not resolve every route again', () => {
    const engine = new Engine({ pluginRuntime: new PluginRuntime(log), pools, log });
    engine.apply(config([route(a, ['/a']), route(b, ['/b'])], [limit(5, a)]), { version: 1, hash: '1'.repeat(64) });
    const plan = engine.compiled?.pluginPlan;
    engine.apply(config([route(a, ['/a2']), route(b, ['/b'])], [limit(5, a)]), { version: 2, hash: '2'.repeat(64) });
    expect(engine.compiled?.pluginPlan).toBe(plan);
    expect(engine.compiled?.routes.get(a)?.chain.size).toBe(1);
    expect(engine.compiled?.router.match({ method: 'GET', path: '/a2', host: '', port: 80, headers: {} })?.payload.id).toBe(a);
  });

  it('compiles a new plan when a plugin, a route name or a route set changes', () => {
    const engine = new Engine({ pluginRuntime: new PluginRuntime(log), pools, log });
    engine.apply(config([route(a, ['/a']), route(b, ['/b'])], [limit(5, a)]), { version: 1, hash: '1'.repeat(64) });
    const plans = [engine.compiled?.pluginPlan];
    engine.apply(config([route(a, ['/a']), route(b, ['/b'])], [limit(6, a)]), { version: 2, hash: '2'.repeat(64) });
    plans.push(engine.compiled?.pluginPlan);
    engine.apply(config([route(a, ['/a'], 'renamed'), route(b, ['/b'])], [limit(6, a)]), { version: 3, hash: '3'.repeat(64) });
    plans.push(engine.compiled?.pluginPlan);
    engine.apply(config([route(a, ['/a'], 'renamed')], [limit(6, a)]), { version: 4, hash: '4'.repeat(64) });
    plans.push(engine.compiled?.pluginPlan);
    expect(new Set(plans).size).toBe(4);
  });
});
