import pino from 'pino';
import type { GatewayConfig, Route } from '@gatehouse/protocol';
import { gateway, route as storedRoute } from '../../../../test/support/config-builder';
import { PluginRuntime } from '../plugins/runtime';
import { UpstreamPools } from '../upstream/pools';
import { Engine } from './engine';

const log = pino({ level: 'silent' });

function route(paths: string[]): Route {
  return storedRoute({ protocols: ['http'], paths, created_at: 1 });
}

function config(routes: Route[]): GatewayConfig {
  return gateway({ routes });
}

describe('engine', () => {
  const pools = new UpstreamPools();
  afterAll(() => pools.destroy());

  it('serves nothing until a config is applied, then swaps each new one in whole', () => {
    const engine = new Engine({ pluginRuntime: new PluginRuntime(log), pools, log });
    expect(engine.current()).toBeNull();
    engine.apply(config([route(['/a'])]), { version: 1, hash: 'a'.repeat(64) });
    const first = engine.compiled;
    engine.apply(config([route(['/b'])]), { version: 2, hash: 'b'.repeat(64) });
    expect(engine.current()).toEqual({ version: 2, hash: 'b'.repeat(64) });
    expect(engine.compiled).not.toBe(first);
    expect(first?.routes.size).toBe(1);
  });

  it('throws a readable error and keeps the previous config when one cannot be compiled', () => {
    const engine = new Engine({ pluginRuntime: new PluginRuntime(log), pools, log });
    engine.apply(config([route(['/ok'])]), { version: 1, hash: 'a'.repeat(64) });
    // The route schema refuses this path, so the broken route is a valid one with the path spread over it.
    const bad = { ...route(['/bad']), paths: ['~/(unclosed'] };
    expect(() => engine.apply(config([bad]), { version: 2, hash: 'b'.repeat(64) })).toThrow(`route ${bad.id}: invalid regex path`);
    expect(engine.current()?.version).toBe(1);
  });
});
