'use strict';
/**
 * Caddy as a peer: `reverse_proxy` to the echo upstream on one core
 * (GOMAXPROCS=1), keep-alive with up to 512 idle upstream connections (as
 * nginx's `keepalive 512`), no access log (Caddy's default), its admin
 * endpoint and automatic HTTPS off, its state in a temporary directory.
 * Caddy sets X-Forwarded-For/-Proto/-Host itself.
 */
const fs = require('node:fs');
const path = require('node:path');
const { start, tempDir } = require('./processes');
const { requireTool } = require('./tools');
const { untilServing } = require('./serving');

function caddyConfig(listenPort, upstreamPort) {
  const proxy = {
    handler: 'reverse_proxy',
    upstreams: [{ dial: `127.0.0.1:${upstreamPort}` }],
    transport: { protocol: 'http', keep_alive: { enabled: true, max_idle_conns_per_host: 512 } },
  };
  return {
    admin: { disabled: true },
    logging: { logs: { default: { level: 'ERROR' } } },
    apps: { http: { servers: { bench: { listen: [`127.0.0.1:${listenPort}`], automatic_https: { disable: true }, routes: [{ handle: [proxy] }] } } } },
  };
}

/** Starts Caddy on `listenPort` in front of the upstream; throws ToolMissing when it is not installed. */
async function startCaddy(listenPort, upstreamPort) {
  const caddy = requireTool('caddy');
  const dir = tempDir('gatehouse-bench-caddy-');
  const conf = path.join(dir, 'caddy.json');
  fs.writeFileSync(conf, JSON.stringify(caddyConfig(listenPort, upstreamPort)));
  const env = { GOMAXPROCS: '1', HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
  const proc = start('caddy', caddy, ['run', '--config', conf], env, { cwd: dir });
  return untilServing(proc, `http://127.0.0.1:${listenPort}/bench`);
}

module.exports = { startCaddy };
