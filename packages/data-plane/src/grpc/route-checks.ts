import type { IncomingMessage } from 'node:http';
import type { Resolution } from '../proxy/resolve';
import { GRPC_ANSWERS } from './answer';
import { GRPC_CONTENT_TYPE, GRPC_STATUS } from './status';

/**
 * Kong's checks of a request that matched a grpc/grpcs route (its runloop,
 * in this order): a Content-Type that is not gRPC gets 415, a gRPC request
 * over HTTP/1.x gets 426 asking for HTTP/2, and a gRPC request on the plain
 * listener to a route that only takes `grpcs` gets HTTP 200 with
 * grpc-status 1 (CANCELLED). Null when the request may go on.
 */
export function grpcRouteRefusal(req: IncomingMessage, listener: { scheme: 'http' | 'https' }, protocols: ReadonlySet<string>): Resolution | null {
  const type = req.headers['content-type'];
  if (!type?.startsWith(GRPC_CONTENT_TYPE)) return { kind: 'answer', answer: GRPC_ANSWERS.notGrpc };
  if (req.httpVersionMajor !== 2) return { kind: 'answer', answer: GRPC_ANSWERS.useHttp2, headers: { connection: 'Upgrade', upgrade: 'HTTP/2' } };
  if (listener.scheme !== 'https' && !protocols.has('grpc')) {
    const { message } = GRPC_ANSWERS.grpcsOnly;
    return { kind: 'answer', answer: GRPC_ANSWERS.grpcsOnly, headers: { 'grpc-status': String(GRPC_STATUS.CANCELLED), 'grpc-message': message } };
  }
  return null;
}
