'use strict';
/**
 * HAProxy as a peer: one process with one thread (`nbthread 1`), keep-alive
 * to the echo upstream with idle connections shared across clients
 * (`http-reuse always`), the forwarding headers nginx and the DP set, no
 * logs. Runs in the foreground (`-db`) from a temporary directory.
 */
const fs = require('node:fs');
const path = require('node:path');
const { start, tempDir } = require('./processes');
const { requireTool } = require('./tools');
const { untilServing } = require('./serving');

function haproxyConf(listenPort, upstreamPort) {
  return `global
  nbthread 1
  maxconn 4096

defaults
  mode http
  option http-keep-alive
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s

frontend bench
  bind 127.0.0.1:${listenPort}
  option forwardfor
  http-request set-header X-Real-IP %[src]
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Host %[req.hdr(host)]
  http-request set-header X-Forwarded-Port %[dst_port]
  default_backend echo

backend echo
  http-reuse always
  server echo 127.0.0.1:${upstreamPort} maxconn 512
`;
}

/** Starts HAProxy on `listenPort` in front of the upstream; throws ToolMissing when it is not installed. */
async function startHaproxy(listenPort, upstreamPort) {
  const haproxy = requireTool('haproxy');
  const dir = tempDir('gatehouse-bench-haproxy-');
  const conf = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(conf, haproxyConf(listenPort, upstreamPort));
  const proc = start('haproxy', haproxy, ['-db', '-f', conf], {}, { cwd: dir });
  return untilServing(proc, `http://127.0.0.1:${listenPort}/bench`);
}

module.exports = { startHaproxy };
