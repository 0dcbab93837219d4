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
 * Starts a DP serving `config`; resolves `{proc, proxyPort, statusPort, dir}` once it is ready.
 * `flags` follow the plain listener's address (`http2`: cleartext HTTP/2 with prior knowledge too).
 */
async function startCachedDp(name, config, env = {}, { flags = '' } = {}) {
  const dir = tempDir('gatehouse-bench-dp-');
  material ??= selfSigned(tempDir('gatehouse-bench-pem-'));
  writeConfigCache(dir, config);
  const proxyPort = await freePort();
  const statusPort = await freePort();
  const proc = startNode(name, 'packages/data-plane/dist/main.js', {
    GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxyPort}${flags ? ` ${flags}` : ''}`,
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
  return { proc, proxyPort, statusPort, dir };
}

/**
 * A DP with its TLS listener on a free port: `flags` after the address
 * (`http2` offers h2 by ALPN), the certificate `tls` ({cert, key} files) as
 * the default one, or none (the DP's own). Resolves startCachedDp's answer and `tlsPort`.
 */
async function startTlsDp(name, config, { tls = null, flags = '', env = {} } = {}) {
  const tlsPort = await freePort();
  const certs = tls ? { GATEHOUSE_PROXY_TLS_CERT: tls.cert, GATEHOUSE_PROXY_TLS_CERT_KEY: tls.key } : {};
  const dp = await startCachedDp(name, config, { GATEHOUSE_PROXY_TLS_LISTEN: `127.0.0.1:${tlsPort}${flags ? ` ${flags}` : ''}`, ...certs, ...env });
  return { ...dp, tlsPort };
}

/** Why a DP did not start, in one line: its `start_failed` error (or settings error) when it logged one, else the error's first line. */
function startProblem(err) {
  const errors = [...err.message.matchAll(/"(?:error|message)":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  return errors.length > 0 ? errors[errors.length - 1] : err.message.split('\n')[0];
}

module.exports = { startCachedDp, startTlsDp, startProblem };
