import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import pino from 'pino';
import { emptyConfig, type GatewayConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import { ConfigCache } from '../cache/config-cache';
import { Engine } from '../engine/engine';
import { PluginRuntime } from '../plugins/runtime';
import { UpstreamPools } from '../upstream/pools';
import { FrameDecoder } from './frame-decoder';
import { decodeCpMessage } from './frames';
import { applySnapshot, SnapshotQueue, type SnapshotOutcome } from './snapshot';
import { CheckedConfig } from './snapshot-check';

const log = pino({ level: 'silent' });
const SERVICE_ID = '0d4a2f3e-1b5c-4c7d-8e9f-a0b1c2d3e4f5';

function configWith(routeHeaders: Record<string, string[]> = {}): GatewayConfig {
  return {
    ...emptyConfig(),
    services: [{ id: SERVICE_ID, name: 's', protocol: 'http', host: '127.0.0.1', port: 9, path: null, retries: 5, connect_timeout: 60000, write_timeout: 60000, read_timeout: 60000, tags: [], enabled: true, created_at: 1, updated_at: 1 }],
    routes: [
      { id: '1d4a2f3e-1b5c-4c7d-8e9f-a0b1c2d3e4f5', name: 'r', protocols: ['http', 'https'], methods: ['GET'], hosts: [], paths: ['/r'], headers: routeHeaders, strip_path: true, preserve_host: false, regex_priority: 0, https_redirect_status_code: 426, path_handling: 'v0', request_buffering: true, response_buffering: true, tags: [], service: { id: SERVICE_ID }, created_at: 1, updated_at: 1 },
    ],
  } as GatewayConfig;
}

const snapshot = (version: number, config: unknown, hash = configHash(config)) => ({ type: 'snapshot' as const, version, hash, config });

describe('applySnapshot (real engine, real cache)', () => {
  let dir: string;
  let engine: Engine;
  let cache: ConfigCache;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-snapshot-'));
    engine = new Engine({ pluginRuntime: new PluginRuntime(log), pools: new UpstreamPools(), log });
    cache = new ConfigCache(dir, log);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('applies a valid snapshot and caches it before answering applied', async () => {
    const config = configWith();
    const outcome = await applySnapshot(snapshot(3, config), engine, cache, log);
    expect(outcome).toEqual({ type: 'applied', version: 3, hash: configHash(config) });
    expect(engine.current()).toEqual({ version: 3, hash: configHash(config) });
    expect(cache.load()).toMatchObject({ version: 3, hash: configHash(config) });
  });

  it('rejects a config that violates the protocol schema, naming the field, and keeps the previous one', async () => {
    const good = configWith();
    await applySnapshot(snapshot(1, good), engine, cache, log);
    const bad = { ...good, routes: [{ ...good.routes[0], strip_path: 'yes' }] };
    const outcome = await applySnapshot(snapshot(2, bad), engine, cache, log);
    expect(outcome).toMatchObject({ type: 'rejected', version: 2 });
    expect(outcome.type === 'rejected' && outcome.error).toContain('routes[0].strip_path');
    expect(engine.current()?.hash).toBe(configHash(good));
    expect(cache.load()?.hash).toBe(configHash(good));
  });

  it('rejects a config that does not hash to the announced hash', async () => {
    const config = configWith();
    const outcome = await applySnapshot(snapshot(1, config, 'f'.repeat(64)), engine, cache, log);
    expect(outcome).toMatchObject({ type: 'rejected', hash: 'f'.repeat(64) });
    expect(outcome.type === 'rejected' && outcome.error).toContain('not to the announced');
    expect(engine.current()).toBeNull();
    expect(cache.load()).toBeNull();
  });

  it('rejects a config the engine cannot compile and keeps serving the previous one', async () => {
    const good = configWith();
    await applySnapshot(snapshot(1, good), engine, cache, log);
    const uncompilable = configWith({ 'x-broken': ['~*(unclosed'] });
    const outcome = await applySnapshot(snapshot(2, uncompilable), engine, cache, log);
    expect(outcome).toMatchObject({ type: 'rejected', version: 2 });
    expect(outcome.type === 'rejected' && outcome.error).toContain('cannot be applied');
    expect(engine.current()?.hash).toBe(configHash(good));
  });

  it('acknowledges a snapshot whose hash is already serving without applying it again', async () => {
    const config = configWith();
    await applySnapshot(snapshot(1, config), engine, cache, log);
    const outcome = await applySnapshot(snapshot(2, config), engine, cache, log);
    expect(outcome).toEqual({ type: 'applied', version: 2, hash: configHash(config) });
    expect(engine.current()?.version).toBe(1);
  });
});

/** `n` extra routes on the config's service, so a build takes many slices. */
function bigConfig(n: number, tag: string): GatewayConfig {
  const base = configWith();
  const template = base.routes[0]!;
  const routes = [...base.routes];
  for (let i = 0; i < n; i++) routes.push({ ...template, id: `2d4a2f3e-1b5c-4c7d-8e9f-${String(i).padStart(12, '0')}`, name: `${tag}-${i}`, paths: [`/${tag}-${i}`] });
  return { ...base, routes };
}

const gzipFrame = (message: unknown): Buffer => zlib.gzipSync(JSON.stringify(message));

describe('snapshots decoded on the snapshot thread', () => {
  let dir: string;
  let engine: Engine;
  let cache: ConfigCache;
  let decoder: FrameDecoder;
  const threadFailures: string[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-snapshot-'));
    engine = new Engine({ pluginRuntime: new PluginRuntime(log), pools: new UpstreamPools(), log, sliceMs: 0.5 });
    cache = new ConfigCache(dir, log);
    decoder = new FrameDecoder((error) => threadFailures.push(error));
  });
  afterEach(async () => {
    await decoder.close();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(threadFailures).toEqual([]);
  });

  it('validates and hashes a gzip snapshot on the thread, then applies it and caches it exactly as received', async () => {
    const config = bigConfig(2000, 'r');
    const message = await decodeCpMessage(gzipFrame(snapshot(7, config)), true, decoder);
    expect(message.type === 'snapshot' && message.config).toBeInstanceOf(CheckedConfig);
    const outcome = await applySnapshot(message as Parameters<typeof applySnapshot>[0], engine, cache, log);
    expect(outcome).toEqual({ type: 'applied', version: 7, hash: configHash(config) });
    expect(engine.compiled?.routes.size).toBe(2001);
    // The cache holds the config as sent, so it loads (and hash-checks) at the next start.
    expect(cache.load()).toEqual({ version: 7, hash: configHash(config), config });
  });

  it('answers the same rejections as the inline check, and leaves the previous config serving', async () => {
    const good = configWith();
    await applySnapshot(snapshot(1, good), engine, cache, log);
    const bad = { ...good, routes: [{ ...good.routes[0], strip_path: 'yes' }] };
    const badSchema = await decodeCpMessage(gzipFrame(snapshot(2, bad)), true, decoder);
    const wrongHash = await decodeCpMessage(gzipFrame(snapshot(3, good, 'e'.repeat(64))), true, decoder);
    const outcomes = [await applySnapshot(badSchema as Parameters<typeof applySnapshot>[0], engine, cache, log), await applySnapshot(wrongHash as Parameters<typeof applySnapshot>[0], engine, cache, log)];
    expect(outcomes[0]).toMatchObject({ type: 'rejected', version: 2 });
    expect(outcomes[0]?.type === 'rejected' && outcomes[0].error).toContain('routes[0].strip_path');
    expect(outcomes[1]?.type === 'rejected' && outcomes[1].error).toContain('not to the announced');
    expect(engine.current()?.hash).toBe(configHash(good));
  });

  it('decodes other messages and refuses broken frames with a readable error', async () => {
    await expect(decodeCpMessage(gzipFrame({ type: 'pong' }), true, decoder)).resolves.toEqual({ type: 'pong' });
    await expect(decodeCpMessage(zlib.gzipSync('{not json'), true, decoder)).rejects.toThrow('frame is not JSON');
    await expect(decodeCpMessage(gzipFrame({ type: 'nope' }), true, decoder)).rejects.toThrow('invalid message');
    await expect(decodeCpMessage(Buffer.from('not gzip at all'), true, decoder)).rejects.toThrow();
  });
});

describe('SnapshotQueue', () => {
  it('lets a newer snapshot supersede one being built: only the newest is answered and ever serves', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-snapshot-'));
    const engine = new Engine({ pluginRuntime: new PluginRuntime(log), pools: new UpstreamPools(), log, sliceMs: 0.2 });
    const served: number[] = [];
    engine.onApplied((c) => served.push(c.version));
    const answers: SnapshotOutcome[] = [];
    const queue = new SnapshotQueue(engine, new ConfigCache(dir, log), log, (o) => answers.push(o));
    const older = bigConfig(3000, 'old');
    const middle = bigConfig(10, 'middle');
    const newest = bigConfig(10, 'new');
    const first = queue.push(snapshot(1, older));
    // Let the first build start, then send two more: the second is skipped, the first dropped mid-build.
    await new Promise((resolve) => setImmediate(resolve));
    void queue.push(snapshot(2, middle));
    const last = queue.push(snapshot(3, newest));
    await first;
    await last;
    expect(answers).toEqual([{ type: 'applied', version: 3, hash: configHash(newest) }]);
    expect(served).toEqual([3]);
    expect(engine.compiled?.router.match({ method: 'GET', path: '/new-9', host: '', port: 80, headers: {} })).not.toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
