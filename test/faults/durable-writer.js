// Writes one kind of file Gatehouse keeps, as fast as it can, forever, with
// the built code that writes it in production, so a test can kill -9 it at
// random moments and judge the file on disk. Usage:
//   node durable-writer.js <kind> <dir> [pairs.json]
// kinds: config-cache, node-id, spool, cert-pair, credentials.
// Logs {"event":"written", ...} after each completed write (stdout to a pipe
// is synchronous on Linux, so a logged write happened before the kill).
const fs = require('node:fs');
const path = require('node:path');
const { bigConfig } = require('./big-config.js');

const dp = path.join(__dirname, '../../packages/data-plane/dist');
const [kind, dir, pairsFile] = process.argv.slice(2);
const written = (fields) => console.log(JSON.stringify({ event: 'written', ...fields }));

const writers = {
  // The DP's config cache: 0.1 to 0.75 MB snapshots, hash inside, version rising across runs.
  async 'config-cache'() {
    const { writeFileAtomic } = require(`${dp}/cache/atomic-write.js`);
    const { configHash } = require('../../packages/protocol/dist/node.js');
    const file = path.join(dir, 'config.json');
    const configs = [500, 1500, 3000].map((n) => bigConfig(n, n)).map((config) => ({ config, hash: configHash(config) }));
    let version = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version : 0;
    for (;;) {
      version++;
      const { config, hash } = configs[version % configs.length];
      await writeFileAtomic(file, JSON.stringify({ version, hash, config }));
      written({ version });
    }
  },
  // A new DP dir each time: the node id is written once per dir.
  'node-id'() {
    const { loadOrCreateNodeId } = require(`${dp}/cache/node-id.js`);
    for (let n = fs.readdirSync(dir).length; ; n++) {
      const nodeDir = path.join(dir, String(n).padStart(6, '0'));
      fs.mkdirSync(nodeDir);
      written({ dir: nodeDir, id: loadOrCreateNodeId(nodeDir) });
    }
  },
  // Analytics batches of 300 buckets each.
  spool() {
    const pino = require('pino');
    const { StatsSpool } = require(`${dp}/analytics/spool.js`);
    const { TrafficRecorder } = require(`${dp}/analytics/recorder.js`);
    const spool = new StatsSpool(dir, 1e12, pino({ level: 'silent' }));
    const recorder = new TrafficRecorder();
    for (let i = 0; i < 300; i++) recorder.record({ routeId: `r${i}`, serviceId: 's', consumerId: null, status: 200, latencyMs: i, upstreamLatencyMs: 1 });
    // Counted once, so the loop spends its time writing (where a kill matters); each add is a new batch all the same.
    const buckets = recorder.drain();
    for (;;) written({ batch_id: spool.add(buckets).batch_id });
  },
  // Renewed certificate + key pairs installed over the configured pair, as a DP renewal does.
  async 'cert-pair'() {
    const { installRenewedPair } = require(`${dp}/cluster/renewal.js`);
    const { loadTlsMaterial } = require(`${dp}/cluster/tls-material.js`);
    const { writeFileDurableSync } = require('../../packages/protocol/dist/node.js');
    const pairs = JSON.parse(fs.readFileSync(pairsFile, 'utf8'));
    const paths = { certPath: path.join(dir, 'cluster.crt'), keyPath: path.join(dir, 'cluster.key'), dpDir: path.join(dir, 'dp') };
    if (!fs.existsSync(paths.certPath)) {
      writeFileDurableSync(paths.keyPath, pairs[0].key);
      writeFileDurableSync(paths.certPath, pairs[0].cert, { mode: 0o644 });
    }
    // As a starting DP does: this finishes a renewal the last kill cut between its renames.
    const current = loadTlsMaterial(paths);
    for (let n = 1; ; n++) {
      const pair = pairs[n % pairs.length];
      await installRenewedPair(pair.cert, pair.key, current, paths.dpDir);
      written({ pair: n % pairs.length });
    }
  },
  // `gatehouse login` saving tokens: 40 other control planes' logins, and a counter one.
  credentials() {
    process.env.GATEHOUSE_CONFIG_DIR = dir;
    const { saveToken, loadToken } = require('../../packages/cli/dist/credentials.js');
    if (!loadToken('http://cp-39.example:8001')) for (let i = 0; i < 40; i++) saveToken(`http://cp-${i}.example:8001`, { token: `${i}-${'t'.repeat(2000)}` });
    for (let n = Number(loadToken('http://counter.example:8001')?.token ?? 0) + 1; ; n++) {
      saveToken('http://counter.example:8001', { token: String(n) });
      written({ n });
    }
  },
};

Promise.resolve(writers[kind]()).catch((err) => {
  console.error(err);
  process.exit(1);
});
