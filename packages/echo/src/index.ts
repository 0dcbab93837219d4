export { createEchoServer, type EchoReply } from './server';
