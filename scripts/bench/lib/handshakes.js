'use strict';
/**
 * New TLS handshakes per second, closed loop: `node handshakes.js <port>
 * <seconds> <concurrency> <name,…> [count]` keeps `concurrency` handshakes to
 * 127.0.0.1:<port> going, each a new connection with no session to resume,
 * its SNI the next name in turn, for `seconds` or until `count` handshakes
 * have started; a connection is closed once its handshake is done. Every 20th handshake checks that the certificate served is the one
 * for its name (CN). Prints one JSON line: handshakes/s, p50/p99 in ms, ok,
 * failed, wrong certificate, and the first failure's message.
 */
const tls = require('node:tls');
const { percentile } = require('./load');

const [port, seconds, concurrency, nameList, count] = process.argv.slice(2);
const limit = count ? Number(count) : Infinity;
const names = nameList.split(',');

async function main() {
  const latencies = [];
  let failed = 0;
  let wrong = 0;
  let firstError = null;
  let turn = 0;
  const t0 = performance.now();
  const end = t0 + Number(seconds) * 1000;
  const one = (servername, check) =>
    new Promise((resolve) => {
      const started = performance.now();
      const socket = tls.connect({ host: '127.0.0.1', port: Number(port), servername, rejectUnauthorized: false });
      socket.setTimeout(5000, () => socket.destroy(new Error('handshake timed out')));
      socket.once('secureConnect', () => {
        latencies.push(performance.now() - started);
        if (check && socket.getPeerCertificate().subject?.CN !== servername) wrong++;
        socket.destroy();
        resolve();
      });
      socket.once('error', (err) => {
        failed++;
        firstError ??= err.message;
        resolve();
      });
    });
  const loop = async () => {
    while (performance.now() < end && turn < limit) {
      const n = turn++;
      await one(names[n % names.length], n % 20 === 0);
    }
  };
  await Promise.all(Array.from({ length: Number(concurrency) }, loop));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      rps: latencies.length / elapsed,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      ok: latencies.length,
      failed,
      wrong,
      firstError,
    }),
  );
}

void main();
