'use strict';
/** The echo upstream (packages/echo) for the benchmarks: one process on one port, or on several loopback addresses. */
const { freePort, startNode, start } = require('./processes');

/** Starts packages/echo on 127.0.0.1; answers its port. */
async function startEcho() {
  const port = await freePort();
  const proc = startNode('echo', 'packages/echo/dist/main.js', { GATEHOUSE_ECHO_LISTEN: `127.0.0.1:${port}` });
  await proc.waitForEvent('echo_listening', 15_000);
  return port;
}

/** One echo process listening on each of `hosts` at one port (lib/multi-echo.js); answers the port. */
async function startMultiEcho(hosts) {
  const port = await freePort();
  const proc = start('multi-address echo', process.execPath, [require.resolve('./multi-echo.js'), String(port), ...hosts]);
  await proc.waitForEvent('multi_echo_listening', 15_000);
  return port;
}

module.exports = { startEcho, startMultiEcho };
