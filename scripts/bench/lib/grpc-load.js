'use strict';
/**
 * A closed-loop gRPC load client (ghz is not packaged here): `node
 * grpc-load.js <host:port> <seconds> <concurrency> <channels>` keeps
 * `concurrency` unary calls in flight, spread over `channels` HTTP/2
 * connections (each channel its own subchannel pool), starts the next call
 * as each one answers, and prints one JSON line: calls/s, p50/p99 in ms,
 * ok and failed counts, and the first failure's message.
 */
const { grpc, EchoClient } = require('./grpc-def');
const { percentile } = require('./load');

const [target, seconds, concurrency, channels] = process.argv.slice(2);
const PAYLOAD = Buffer.alloc(100, 'x');

async function main() {
  const clients = Array.from(
    { length: Number(channels) },
    () => new EchoClient(target, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }),
  );
  await Promise.all(clients.map((c) => new Promise((resolve, reject) => c.waitForReady(Date.now() + 5000, (err) => (err ? reject(err) : resolve())))));
  const latencies = [];
  let failed = 0;
  let firstError = null;
  const t0 = performance.now();
  const end = t0 + Number(seconds) * 1000;
  const loop = (client) =>
    new Promise((resolve) => {
      const next = () => {
        if (performance.now() >= end) return resolve();
        const started = performance.now();
        client.Unary(PAYLOAD, { deadline: Date.now() + 5000 }, (err) => {
          if (err) {
            failed++;
            firstError ??= `${err.code} ${err.details}`;
          } else latencies.push(performance.now() - started);
          next();
        });
      };
      next();
    });
  await Promise.all(Array.from({ length: Number(concurrency) }, (_, i) => loop(clients[i % clients.length])));
  const elapsed = (performance.now() - t0) / 1000;
  for (const c of clients) c.close();
  latencies.sort((a, b) => a - b);
  const result = {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    ok: latencies.length,
    failed,
    firstError,
  };
  console.log(JSON.stringify(result));
}

main().catch((err) => {
  console.log(JSON.stringify({ rps: 0, ok: 0, failed: 1, firstError: err.message }));
});
