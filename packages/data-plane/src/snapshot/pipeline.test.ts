import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { GatewayConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import { gateway, route, service } from '../../../../test/support/config-builder';
import { ConfigCache } from '../cache/config-cache';
import { Engine } from '../engine/engine';
import { PluginRuntime } from '../plugins/runtime';
import { UpstreamPools } from '../upstream/pools';
import { savedToCache, type AfterApplyStep } from './after-apply';
import { SnapshotPipeline, type SnapshotAnswer } from './pipeline';
import { prepareSnapshot } from './prepare';
import type { PreparedSnapshot } from './prepared';

const SERVICE_ID = '0d4a2f3e-1b5c-4c7d-8e9f-a0b1c2d3e4f5';

/** A one-route config; `routeHeaders` is spread over the valid route, since the fixture makers refuse a header regex the DP cannot compile. */
function configWith(routeHeaders: Record<string, string[]> = {}): GatewayConfig {
  const r = route({ id: '1d4a2f3e-1b5c-4c7d-8e9f-a0b1c2d3e4f5', name: 'r', methods: ['GET'], paths: ['/r'], service: SERVICE_ID, created_at: 1 });
  return gateway({
    services: [service({ id: SERVICE_ID, name: 's', host: '127.0.0.1', port: 9, created_at: 1 })],
    routes: [{ ...r, headers: routeHeaders }],
  });
}

/** `n` extra routes on the config's service, so a build takes many slices. */
function bigConfig(n: number, tag: string): GatewayConfig {
  const base = configWith();
  const template = base.routes[0]!;
  const routes = [...base.routes];
  for (let i = 0; i < n; i++)
    routes.push({ ...template, id: `2d4a2f3e-1b5c-4c7d-8e9f-${String(i).padStart(12, '0')}`, name: `${tag}-${i}`, paths: [`/${tag}-${i}`] });
  return { ...base, routes };
}

/** A snapshot as the CP sends it, checked and prepared the way every frame is. */
const incoming = (version: number, config: unknown, hash = configHash(config)) => prepareSnapshot(version, hash, config);

/** A logger whose lines the test can read. */
function capture(): { log: pino.Logger; events: Record<string, unknown>[] } {
  const events: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => events.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, events };
}

/** An after-apply step that records when it ran and finishes only when the test says so. */
function gate(name: string, trace: string[]): AfterApplyStep & { open(): void; fail(error: string): void } {
  let release: ((error?: string) => void) | null = null;
  return {
    name,
    run: (snapshot: PreparedSnapshot) => {
      trace.push(`${name} ${snapshot.version}`);
      return new Promise<void>((resolve, reject) => {
        release = (error) => (error === undefined ? resolve() : reject(new Error(error)));
      });
    },
    open: () => release?.(),
    fail: (error) => release?.(error),
  };
}

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('snapshot pipeline (real engine, real cache)', () => {
  let dir: string;
  let engine: Engine;
  let cache: ConfigCache;
  let events: Record<string, unknown>[];
  let log: pino.Logger;
  let answers: SnapshotAnswer[];
  const pipeline = (afterApply: AfterApplyStep[] = [savedToCache(cache)]) => new SnapshotPipeline({ engine, afterApply, log, answer: (o) => answers.push(o) });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-snapshot-'));
    ({ log, events } = capture());
    engine = new Engine({ pluginRuntime: new PluginRuntime(log), pools: new UpstreamPools(), log, sliceMs: 0.5 });
    cache = new ConfigCache(dir, log);
    answers = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('applies a valid snapshot and caches it exactly as received before answering applied', async () => {
    const config = configWith();
    await pipeline().push(incoming(3, config));
    expect(answers).toEqual([{ type: 'applied', version: 3, hash: configHash(config) }]);
    expect(engine.current()).toEqual({ version: 3, hash: configHash(config) });
    expect(cache.load()).toEqual({ version: 3, hash: configHash(config), config });
    const logged = events.find((e) => e.event === 'snapshot_applied');
    expect(logged?.version).toBe(3);
    expect(typeof logged?.loop_delay_max_ms).toBe('number');
  });

  it('rejects a config that violates the protocol schema, naming the field, and keeps the previous one serving and cached', async () => {
    const good = configWith();
    const p = pipeline();
    await p.push(incoming(1, good));
    const bad = { ...good, routes: [{ ...good.routes[0], strip_path: 'yes' }] };
    await p.push(incoming(2, bad));
    expect(answers[1]).toMatchObject({ type: 'rejected', version: 2 });
    expect(answers[1]?.type === 'rejected' && answers[1].error).toContain('routes[0].strip_path');
    expect(engine.current()?.hash).toBe(configHash(good));
    expect(cache.load()?.hash).toBe(configHash(good));
  });

  it('rejects a config that does not hash to the announced hash', async () => {
    await pipeline().push(incoming(1, configWith(), 'f'.repeat(64)));
    expect(answers).toEqual([expect.objectContaining({ type: 'rejected', hash: 'f'.repeat(64) })]);
    expect(answers[0]?.type === 'rejected' && answers[0].error).toContain('not to the announced');
    expect(engine.current()).toBeNull();
    expect(cache.load()).toBeNull();
  });

  it('rejects a config the engine cannot compile: no after-apply step runs, the previous config keeps serving and stays cached', async () => {
    const good = configWith();
    const trace: string[] = [];
    const traced: AfterApplyStep = {
      name: 'traced',
      run: (s) => {
        trace.push(`traced ${s.version}`);
        return Promise.resolve();
      },
    };
    const steps = [traced, savedToCache(cache)];
    const p = pipeline(steps);
    await p.push(incoming(1, good));
    await p.push(incoming(2, configWith({ 'x-broken': ['~*(unclosed'] })));
    expect(answers[1]).toMatchObject({ type: 'rejected', version: 2 });
    expect(answers[1]?.type === 'rejected' && answers[1].error).toContain('cannot be applied');
    expect(trace).toEqual(['traced 1']);
    expect(engine.current()?.hash).toBe(configHash(good));
    expect(cache.load()?.version).toBe(1);
  });

  it('acknowledges a snapshot whose hash is already serving without applying it again', async () => {
    const config = configWith();
    const p = pipeline();
    await p.push(incoming(1, config));
    await p.push(incoming(2, config));
    expect(answers[1]).toEqual({ type: 'applied', version: 2, hash: configHash(config) });
    expect(engine.current()?.version).toBe(1);
  });

  it('answers applied only once every after-apply step has finished, running them one after another in order', async () => {
    const trace: string[] = [];
    const workers = gate('workers', trace);
    const config = configWith();
    const done = pipeline([workers, savedToCache(cache)]).push(incoming(4, config));
    await turns(50);
    // Serving here, but the first step is still running: no answer, and the step after it has not started.
    expect(engine.current()?.version).toBe(4);
    expect(trace).toEqual(['workers 4']);
    expect(answers).toEqual([]);
    expect(cache.load()).toBeNull();
    workers.open();
    await done;
    expect(cache.load()?.version).toBe(4);
    expect(answers).toEqual([{ type: 'applied', version: 4, hash: configHash(config) }]);
  });

  it('withholds applied when an after-apply step fails, skipping the steps after it; the next snapshot is handled as usual', async () => {
    const trace: string[] = [];
    const workers = gate('workers', trace);
    const p = pipeline([workers, savedToCache(cache)]);
    const first = p.push(incoming(1, configWith()));
    await turns(50);
    workers.fail('worker channel closed');
    await first;
    expect(answers).toEqual([]);
    expect(cache.load()).toBeNull();
    expect(events.find((e) => e.event === 'snapshot_step_failed')).toMatchObject({ version: 1, step: 'workers', error: 'worker channel closed' });

    const next = bigConfig(3, 'next');
    const second = p.push(incoming(2, next));
    await turns(50);
    workers.open();
    await second;
    expect(answers).toEqual([{ type: 'applied', version: 2, hash: configHash(next) }]);
    expect(cache.load()?.version).toBe(2);
  });

  it('still answers applied when the cache cannot be written: the config is serving (the failed write is logged)', async () => {
    // A directory where the file should be makes the write fail, as a full or read-only disk would.
    fs.mkdirSync(path.join(dir, 'config.json'));
    const config = configWith();
    await pipeline().push(incoming(5, config));
    expect(answers).toEqual([{ type: 'applied', version: 5, hash: configHash(config) }]);
    expect(engine.current()?.version).toBe(5);
    expect(events.some((e) => e.event === 'config_cache_write_failed')).toBe(true);
  });

  it('lets a newer snapshot supersede one being built: only the newest is answered and ever serves', async () => {
    const p = pipeline();
    const served = new Set<number>();
    const older = bigConfig(3000, 'old');
    const newest = bigConfig(10, 'new');
    const first = p.push(incoming(1, older));
    // Let the first build start, then send two more: the second is skipped, the first dropped mid-build.
    await turns(1);
    void p.push(incoming(2, bigConfig(10, 'middle')));
    const last = p.push(incoming(3, newest));
    let settled = false as boolean;
    void Promise.all([first, last]).then(() => (settled = true));
    while (!settled) {
      const version = engine.current()?.version;
      if (version !== undefined) served.add(version);
      await turns(1);
    }
    expect(answers).toEqual([{ type: 'applied', version: 3, hash: configHash(newest) }]);
    expect([...served]).toEqual([3]);
    expect(engine.compiled?.router.match({ method: 'GET', path: '/new-9', host: '', port: 80, headers: {} })).not.toBeNull();
    expect(cache.load()?.version).toBe(3);
  });
});
