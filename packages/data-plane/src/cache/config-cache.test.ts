import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyConfig } from '@gatehouse/protocol';
import { configHash } from '@gatehouse/protocol/node';
import pino from 'pino';
import { consumer, gateway } from '../../../../test/support/config-builder';
import { cacheFileText, ConfigCache } from './config-cache';
import { loadOrCreateNodeId } from './node-id';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cache-'));
}

/** A logger whose lines the test can read. */
function capture(): { log: pino.Logger; events: Record<string, unknown>[] } {
  const events: Record<string, unknown>[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => events.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, events };
}

describe('config cache', () => {
  const config = emptyConfig();
  const cached = { version: 4, hash: configHash(config), config };
  const entry = { version: 4, hash: cached.hash, cacheText: cacheFileText(4, cached.hash, config) };

  it('round-trips a snapshot and leaves no temporary files behind', async () => {
    const dir = tempDir();
    const cache = new ConfigCache(dir, pino({ level: 'silent' }));
    expect(cache.load()).toBeNull();
    await expect(cache.save(entry)).resolves.toBe(true);
    expect(cache.load()).toEqual(cached);
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
    expect(fs.statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('replaces the previous snapshot whole', async () => {
    const dir = tempDir();
    const cache = new ConfigCache(dir, pino({ level: 'silent' }));
    await cache.save(entry);
    const next = gateway({ consumers: [consumer({ username: 'u' })] });
    await cache.save({ version: 5, hash: configHash(next), cacheText: cacheFileText(5, configHash(next), next) });
    expect(cache.load()?.version).toBe(5);
  });

  it('logs a failed write and resolves false instead of throwing', async () => {
    const dir = tempDir();
    // A directory where the file should be makes the rename fail, as a full or read-only disk would.
    fs.mkdirSync(path.join(dir, 'config.json'));
    fs.writeFileSync(path.join(dir, 'config.json', 'keep'), 'x');
    const { log, events } = capture();
    await expect(new ConfigCache(dir, log).save(entry)).resolves.toBe(false);
    expect(events.find((e) => e.event === 'config_cache_write_failed')).toMatchObject({ version: 4, hash: entry.hash });
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });

  it.each([
    ['not JSON', '{"version":'],
    ['missing hash', JSON.stringify({ version: 1, config })],
    ['a config that fails the schema', JSON.stringify({ version: 1, hash: configHash({ routes: 1 }), config: { routes: 1 } })],
    ['a hash that does not match', JSON.stringify({ version: 1, hash: 'a'.repeat(64), config })],
  ])('ignores (and logs) a cache with %s', (_why, text) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'config.json'), text);
    const { log, events } = capture();
    expect(new ConfigCache(dir, log).load()).toBeNull();
    expect(events.some((e) => e.event === 'config_cache_invalid')).toBe(true);
  });
});

describe('node id', () => {
  it('is created once and reused from the DP dir', () => {
    const dir = tempDir();
    const id = loadOrCreateNodeId(dir);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(loadOrCreateNodeId(dir)).toBe(id);
    expect(fs.readFileSync(path.join(dir, 'node_id'), 'utf8').trim()).toBe(id);
  });

  it('replaces a corrupt node_id file', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'node_id'), 'garbage');
    expect(loadOrCreateNodeId(dir)).not.toBe('garbage');
  });
});
