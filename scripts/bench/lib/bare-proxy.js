'use strict';
/**
 * The floor: a bare http-proxy-3 passthrough with a keep-alive agent, no
 * routing, no headers of its own. Run as its own process by the proxy
 * benchmark: `node bare-proxy.js <listenPort> <upstreamPort>`; with
 * `<certFile> <keyFile>` after them it listens over TLS (the https suite's floor).
 */
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const { createProxyServer } = require('http-proxy-3');

const [listenPort, upstreamPort] = process.argv.slice(2, 4).map(Number);
const [certFile, keyFile] = process.argv.slice(4);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 512, scheduling: 'lifo' });
const proxy = createProxyServer({ target: `http://127.0.0.1:${upstreamPort}`, agent });
proxy.on('error', (_err, _req, res) => {
  if (res && typeof res.writeHead === 'function' && !res.headersSent) res.writeHead(502).end();
});
const handle = (req, res) => proxy.web(req, res);
const server = certFile ? https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, handle) : http.createServer(handle);
server.keepAliveTimeout = 60_000;
server.listen(listenPort, '127.0.0.1', () => console.log(JSON.stringify({ event: 'bare_proxy_listening', port: listenPort })));
process.on('SIGTERM', () => process.exit(0));
