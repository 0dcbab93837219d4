'use strict';
/**
 * The proxy benchmark's peers, each in front of the same echo upstream with
 * one core: nginx (the bar), HAProxy, Caddy, @fastify/http-proxy and the bare
 * http-proxy-3 passthrough (the floor). A peer whose program is not installed
 * is skipped with a note saying what to install; any other failure to start
 * fails the run.
 */
const { freePort, start } = require('./processes');
const { startNginx } = require('./nginx');
const { startHaproxy } = require('./haproxy');
const { startCaddy } = require('./caddy');
const { ToolMissing } = require('./tools');

/** A Node peer run as its own process (`node <script> <listenPort> <upstreamPort> [args…]`), ready at its `event`. */
async function startNodePeer(name, script, event, upstreamPort, args = []) {
  const port = await freePort();
  const proc = start(name, process.execPath, [require.resolve(script), String(port), String(upstreamPort), ...args]);
  await proc.waitForEvent(event, 15_000);
  return port;
}

/** Each peer: key, label (as the table shows it), and how to start it on a port in front of `upstream`. */
const PEERS = [
  {
    key: 'bare',
    name: 'bare http-proxy-3',
    label: 'bare http-proxy-3 + keep-alive (floor)',
    start: (up) => startNodePeer('bare http-proxy-3', './bare-proxy.js', 'bare_proxy_listening', up),
  },
  { key: 'nginx', name: 'nginx', label: 'nginx proxy_pass, 1 worker, keep-alive (bar)', start: portFor(startNginx) },
  { key: 'haproxy', name: 'HAProxy', label: 'HAProxy, nbthread 1, keep-alive', start: portFor(startHaproxy) },
  { key: 'caddy', name: 'Caddy', label: 'Caddy reverse_proxy, GOMAXPROCS=1, keep-alive', start: portFor(startCaddy) },
  {
    key: 'fastify',
    name: '@fastify/http-proxy',
    label: '@fastify/http-proxy (undici, keep-alive)',
    start: (up) => startNodePeer('@fastify/http-proxy', './fastify-proxy.js', 'fastify_proxy_listening', up),
  },
];

/** Wraps `startX(listenPort, upstreamPort)` into `(upstreamPort) => port`. */
function portFor(startX) {
  return async (upstreamPort) => {
    const port = await freePort();
    await startX(port, upstreamPort);
    return port;
  };
}

/** Starts every peer `want(key)` selects; answers `{started: [{key, name, label, port}], notes: [line]}`. */
async function startPeers(upstreamPort, log, want = () => true) {
  const started = [];
  const notes = [];
  for (const peer of PEERS.filter((p) => want(p.key))) {
    try {
      started.push({ key: peer.key, name: peer.name, label: peer.label, port: await peer.start(upstreamPort) });
    } catch (err) {
      if (!(err instanceof ToolMissing)) throw err;
      notes.push(`${peer.name} skipped: ${err.message}.`);
      log(`  ${peer.name} skipped: ${err.message}`);
    }
  }
  return { started, notes };
}

/** The peers in the order of the table (after the DP), for the "relative to the DP" row. */
const PEER_ORDER = ['nginx', 'haproxy', 'caddy', 'fastify', 'bare'];

/** The floor over TLS (https suite): lib/bare-proxy.js with the certificate `tls` ({cert, key}); answers its port. */
const startBareTls = (upstreamPort, tls) =>
  startNodePeer('bare http-proxy-3 (TLS)', './bare-proxy.js', 'bare_proxy_listening', upstreamPort, [tls.cert, tls.key]);

module.exports = { startPeers, startBareTls, PEER_ORDER, PEERS };
