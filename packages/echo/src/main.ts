import { createEchoServer } from './server';

/** `npm run echo`: the echo upstream on GATEHOUSE_ECHO_LISTEN (default 127.0.0.1:3000). */
const listen = process.env.GATEHOUSE_ECHO_LISTEN ?? '127.0.0.1:3000';
const match = /^(.*):(\d+)$/.exec(listen);
if (!match) {
  console.error(JSON.stringify({ level: 'error', event: 'bad_setting', setting: 'GATEHOUSE_ECHO_LISTEN', message: `expected host:port, got "${listen}"` }));
  process.exit(1);
}
const host = (match[1]!).replace(/^\[|\]$/g, '');
const port = Number(match[2]);
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
