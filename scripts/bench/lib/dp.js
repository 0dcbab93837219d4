'use strict';
/**
 * Data planes for benchmarks. `startCachedDp` runs the built DP with a config
 * written into its DP dir beforehand, so it serves without a control plane
 * (its cluster client keeps retrying a closed port, off the hot path).
 */
const path = require('node:path');
const { freePort, startNode, tempDir } = require('./processes');
const { selfSigned, writeConfigCache } = require('./gateway-config');

let material;

/**
 * Starts a DP serving `config`; resolves `{proc, proxyPort, tlsPort, statusPort, dir}` once it is ready.
 * Its TLS listener gets a free port too (it serves only with a certificate set in `env`).
 */
async function startCachedDp(name, config, env = {}) {
  const dir = tempDir('gatehouse-bench-dp-');
  material ??= selfSigned(tempDir('gatehouse-bench-pem-'));
  writeConfigCache(dir, config);
  const proxyPort = await freePort();
  const statusPort = await freePort();
  const tlsPort = await freePort();
  const proc = startNode(name, 'packages/data-plane/dist/main.js', {
    GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxyPort}`,
    GATEHOUSE_PROXY_TLS_LISTEN: `127.0.0.1:${tlsPort}`,
    GATEHOUSE_STATUS_LISTEN: `127.0.0.1:${statusPort}`,
    GATEHOUSE_CLUSTER_CONTROL_PLANE: '127.0.0.1:1',
    GATEHOUSE_CLUSTER_CERT: material.cert,
    GATEHOUSE_CLUSTER_CERT_KEY: material.key,
    GATEHOUSE_DP_DIR: path.join(dir),
    GATEHOUSE_WORKERS: '1',
    ...env,
  });
  await proc.waitForEvent('config_cache_loaded', 60_000);
  await proc.waitForEvent('dp_ready', 60_000);
  return { proc, proxyPort, tlsPort, statusPort, dir };
}

module.exports = { startCachedDp };
