import pino from 'pino';
import type { GatewayConfig, Route } from '@gatehouse/protocol';
import { gateway, route as storedRoute, service } from '../../../../test/support/config-builder';
import { PluginRuntime } from '../plugins/runtime';
import { UpstreamPools } from '../upstream/pools';
import type { CompiledConfig } from './compiled';
import { Engine } from './engine';

const log = pino({ level: 'silent' });
const svc = service({ name: 'svc', host: '127.0.0.1', port: 9, created_at: 1 });

function route(path: string): Route {
  return storedRoute({ protocols: ['http'], paths: [path], service: svc, created_at: 1 });
}

/** A config of `n` routes named `/<tag>-<i>`, big enough to take many slices. */
function config(tag: string, n: number): GatewayConfig {
  const routes: Route[] = [];
  for (let i = 0; i < n; i++) routes.push(route(`/${tag}-${i}`));
  return gateway({ services: [svc], routes });
}

const match = (c: CompiledConfig | null, path: string) => c?.router.match({ method: 'GET', path, host: '', port: 80, headers: {} })?.payload.id ?? null;
const meta = (version: number) => ({ version, hash: String(version).repeat(64).slice(0, 64) });

describe('engine: applying in slices', () => {
  const pools = new UpstreamPools();
  afterAll(() => pools.destroy());
  // A tiny slice forces many turns, so the test sees the engine between them.
  const engine = () => new Engine({ pluginRuntime: new PluginRuntime(log), pools, log, sliceMs: 0.2 });

  /** Samples `engine.compiled` on every turn until `done` settles. */
  async function sampleWhile(e: Engine, done: Promise<unknown>): Promise<(CompiledConfig | null)[]> {
    const seen: (CompiledConfig | null)[] = [];
    let settled = false;
    void done.finally(() => (settled = true));
    while (!settled) {
      seen.push(e.compiled);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return seen;
  }

  it('keeps the old config serving every turn of the build, then swaps the whole new one in', async () => {
    const e = engine();
    e.apply(config('old', 10), meta(1));
    const old = e.compiled;
    const building = e.applyInSlices(config('new', 3000), meta(2));
    const seen = await sampleWhile(e, building);
    expect(await building).toBe('applied');
    // Many turns passed during the build, and in each one the old config, whole, was the one serving.
    expect(seen.length).toBeGreaterThan(5);
    for (const c of seen) expect(c === old || c === e.compiled).toBe(true);
    expect(seen.filter((c) => c === old).length).toBeGreaterThan(5);
    expect(match(old, '/old-3')).not.toBeNull();
    const now = e.compiled;
    expect(now?.version).toBe(2);
    expect(now?.routes.size).toBe(3000);
    expect(match(now, '/new-2999')).not.toBeNull();
    expect(match(now, '/old-3')).toBeNull();
  });

  it('drops a build superseded by a newer apply: only the newest config is ever swapped in', async () => {
    const e = engine();
    const first = e.applyInSlices(config('a', 3000), meta(1));
    await new Promise((resolve) => setImmediate(resolve));
    const second = e.applyInSlices(config('b', 50), meta(2));
    const seen = await sampleWhile(e, Promise.all([first, second]));
    expect(await first).toBe('superseded');
    expect(await second).toBe('applied');
    expect(seen.some((c) => c?.version === 1)).toBe(false);
    expect(e.current()?.version).toBe(2);
    expect(match(e.compiled, '/b-49')).not.toBeNull();
    expect(match(e.compiled, '/a-0')).toBeNull();
  });

  it('drops a build when a synchronous apply happens meanwhile, and when the caller stops wanting it', async () => {
    const e = engine();
    const building = e.applyInSlices(config('a', 3000), meta(1));
    await new Promise((resolve) => setImmediate(resolve));
    e.apply(config('sync', 1), meta(2));
    expect(await building).toBe('superseded');
    expect(e.current()?.version).toBe(2);

    let wanted = true;
    const unwanted = e.applyInSlices(config('c', 3000), meta(3), { keepGoing: () => wanted });
    await new Promise((resolve) => setImmediate(resolve));
    wanted = false;
    expect(await unwanted).toBe('superseded');
    expect(e.current()?.version).toBe(2);
  });

  it('rejects a config that cannot be compiled and leaves the previous one serving', async () => {
    const e = engine();
    e.apply(config('ok', 1), meta(1));
    const bad = config('bad', 500);
    bad.routes.push({ ...route('/x'), paths: ['~/(unclosed'] });
    await expect(e.applyInSlices(bad, meta(2))).rejects.toThrow('invalid regex path');
    expect(e.current()?.version).toBe(1);
  });
});
