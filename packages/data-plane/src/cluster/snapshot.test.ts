import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { emptyConfig, type GatewayConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import { ConfigCache } from '../cache/config-cache';
import { Engine } from '../engine/engine';
import { PluginRuntime } from '../plugins/runtime';
import { AgentPool } from '../upstream/agent-pool';
import { applySnapshot } from './snapshot';

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
    engine = new Engine({ pluginRuntime: new PluginRuntime(log), agents: new AgentPool(), log });
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
