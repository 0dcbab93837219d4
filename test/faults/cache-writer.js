// Saves snapshots into a DP config cache as fast as it can, forever, with the
// DP's own ConfigCache (built), so a test can kill -9 it at random moments
// and check the cache on disk. Usage: node cache-writer.js <dir>. Logs
// {"event":"written","version":n} after each save.
const pino = require('pino');
const { ConfigCache, cacheFileText } = require('../../packages/data-plane/dist/cache/config-cache.js');
const { configHash } = require('../../packages/protocol/dist/node.js');
const { emptyConfig } = require('../../packages/protocol/dist/config.js');

function config(version) {
  // 3,000 to 9,000 services: 0.7 to 2.3 MB, so writes are slow enough to be cut in the middle.
  const services = Array.from({ length: 50 + ((version * 997) % 10_000) }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `svc-${version}-${i}`,
    protocol: 'http',
    host: 'upstream.internal',
    port: 80,
    path: null,
    retries: 5,
    connect_timeout: 60000,
    write_timeout: 60000,
    read_timeout: 60000,
    tags: [],
    enabled: true,
    created_at: 1,
    updated_at: 1,
  }));
  // Every entity list of today's snapshot (the registry's), as the CP sends them: the hash covers them all.
  return { ...emptyConfig(), services };
}

async function main() {
  const cache = new ConfigCache(process.argv[2], pino({ level: 'silent' }));
  // Built once, so the loop spends its time saving (where a kill matters), not building.
  const configs = [3, 5, 7, 9].map((v) => ({ config: config(v), hash: configHash(config(v)) }));
  for (let version = 1; ; version++) {
    const { config: c, hash } = configs[version % configs.length];
    if (await cache.save({ version, hash, cacheText: cacheFileText(version, hash, c) })) console.log(JSON.stringify({ event: 'written', version }));
  }
}

void main();
