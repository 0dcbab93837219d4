'use strict';
/**
 * One echo process (packages/echo's handler) listening on several loopback
 * addresses at one port, so an upstream of targets 127.0.0.1, 127.0.0.2 and
 * 127.0.0.3 (Linux routes 127/8 to loopback) has the same upstream capacity
 * as a service on one host: `node multi-echo.js <port> <host>…`.
 */
const path = require('node:path');
const { ROOT } = require('./processes');
const { createEchoServer } = require(path.join(ROOT, 'packages/echo/dist/index.js'));

const [port, ...hosts] = process.argv.slice(2);
// One echo server per address, all on this process's one event loop.
const servers = hosts.map((host) => {
  const server = createEchoServer();
  return new Promise((resolve, reject) => server.once('error', reject).listen(Number(port), host, () => resolve(server)));
});
Promise.all(servers).then(
  () => console.log(JSON.stringify({ event: 'multi_echo_listening', port: Number(port), hosts })),
  (err) => {
    console.error(JSON.stringify({ event: 'multi_echo_failed', message: err.message }));
    process.exit(1);
  },
);
process.on('SIGTERM', () => process.exit(0));
