import { createEchoServer } from './server';

/** `npm run echo`: the echo upstream on GATEHOUSE_ECHO_LISTEN (default 127.0.0.1:3000). */
const listen = process.env.GATEHOUSE_ECHO_LISTEN ?? '127.0.0.1:3000';
const [, rawHost, rawPort] = /^(.*):(\d+)$/.exec(listen) ?? [];
if (rawHost === undefined || rawPort === undefined) {
  console.error(JSON.stringify({ level: 'error', event: 'bad_setting', setting: 'GATEHOUSE_ECHO_LISTEN', message: `expected host:port, got "${listen}"` }));
  process.exit(1);
}
const host = rawHost.replace(/^\[|\]$/g, '');
const port = Number(rawPort);
const server = createEchoServer();
server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  console.log(JSON.stringify({ level: 'info', event: 'echo_listening', host, port: actual, time: new Date().toISOString() }));
});
const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
