// Saves snapshots into a DP config cache as fast as it can, forever, with the
// DP's own ConfigCache (built), so a test can kill -9 it at random moments
// and check the cache on disk. Usage: node cache-writer.js <dir>. Logs
// {"event":"written","version":n} after each save.
const pino = require('pino');
const { ConfigCache, cacheFileText } = require('../../packages/data-plane/dist/cache/config-cache.js');
const { configHash } = require('../../packages/protocol/dist/node.js');
const { bigConfig } = require('./big-config.js');

function config(version) {
  // 3,000 to 9,000 services: 0.7 to 2.3 MB, so writes are slow enough to be cut in the middle.
  return bigConfig(50 + ((version * 997) % 10_000), version);
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
