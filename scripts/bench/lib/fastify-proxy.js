'use strict';
/**
 * @fastify/http-proxy as a peer, run as its own process by the proxy
 * benchmark: `node fastify-proxy.js <listenPort> <upstreamPort>`. Its
 * defaults: undici to the upstream with keep-alive (reply-from's pool of up
 * to 128 connections), Fastify's logger off. It sets no forwarding headers of
 * its own, so the ones nginx and the DP set are added here, for comparable work.
 */
const fastify = require('fastify');
const proxy = require('@fastify/http-proxy');

const [listenPort, upstreamPort] = process.argv.slice(2).map(Number);
const app = fastify({ logger: false, keepAliveTimeout: 60_000 });

function forwarded(request, headers) {
  const prior = headers['x-forwarded-for'];
  return {
    ...headers,
    'x-real-ip': request.ip,
    'x-forwarded-for': prior ? `${prior}, ${request.ip}` : request.ip,
    'x-forwarded-proto': 'http',
    'x-forwarded-host': request.host,
    'x-forwarded-port': String(listenPort),
  };
}

app.register(proxy, { upstream: `http://127.0.0.1:${upstreamPort}`, replyOptions: { rewriteRequestHeaders: forwarded } });
app.listen({ port: listenPort, host: '127.0.0.1' }).then(
  () => console.log(JSON.stringify({ event: 'fastify_proxy_listening', port: listenPort })),
  (err) => {
    console.error(JSON.stringify({ event: 'fastify_proxy_failed', message: err.message }));
    process.exit(1);
  },
);
process.on('SIGTERM', () => process.exit(0));
