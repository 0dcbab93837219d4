'use strict';
/**
 * The gRPC upstream (@grpc/grpc-js, cleartext HTTP/2): answers each
 * `bench.Echo/Unary` call with its request bytes. Run as its own process:
 * `node grpc-echo.js <port>`.
 */
const { grpc, ECHO } = require('./grpc-def');

const port = Number(process.argv[2]);
const server = new grpc.Server();
server.addService(ECHO, { Unary: (call, callback) => callback(null, call.request) });
server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) {
    console.error(JSON.stringify({ event: 'grpc_echo_failed', message: err.message }));
    process.exit(1);
  }
  console.log(JSON.stringify({ event: 'grpc_echo_listening', port }));
});
process.on('SIGTERM', () => process.exit(0));
