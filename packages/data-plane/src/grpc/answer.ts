import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ANSWERS, type Answer } from '../proxy/answers';
import { addProducedHeaders } from '../proxy/gateway-headers';
import { dropConnectionHeaders } from '../proxy/http2-request';
import type { RequestContext } from '../proxy/request-context';
import { encodeGrpcMessage, GRPC_CONTENT_TYPE, grpcStatusName, grpcStatusOf, isGrpcRequest } from './status';

/** The gateway's answers that exist only for gRPC (Kong's runloop), besides the HTTP ones of proxy/answers.ts. */
export const GRPC_ANSWERS = {
  /** A request without a gRPC Content-Type on a grpc/grpcs route. */
  notGrpc: { status: 415, message: 'Non-gRPC request matched gRPC route' },
  /** A gRPC request over HTTP/1.x on a grpc/grpcs route. */
  useHttp2: { status: 426, message: 'Please use HTTP2 protocol' },
  /** A gRPC request on the plain listener to a route that only takes grpcs: HTTP 200 with grpc-status 1, as Kong. */
  grpcsOnly: { status: 200, message: 'gRPC request matched gRPCs route' },
  /** The call's `grpc-timeout` ran out at the gateway (Gatehouse's own: Kong leaves deadlines to the upstream). */
  deadline: { status: 504, message: 'Deadline Exceeded' },
} as const;

/**
 * Answers Kong gives through nginx's error pages (its error handler calls
 * `kong.response.exit(status, {message})`), whose message a gRPC client gets
 * as `grpc-message`; the others Kong gives with `kong.response.error`,
 * which on gRPC sends the status's name instead (`NotFound`, `Unavailable`).
 */
const MESSAGE_KEPT: ReadonlySet<Answer> = new Set<Answer>([
  ANSWERS.badGateway,
  ANSWERS.unavailable,
  ANSWERS.timeout,
  ANSWERS.internalError,
  GRPC_ANSWERS.deadline,
]);

/** True when the gateway's own answers to this request must be gRPC statuses (Kong's `is_grpc_request`). */
export function answersInGrpc(ctx: RequestContext): boolean {
  return ctx.http2 && isGrpcRequest(ctx.req.headers['content-type'], 2);
}

/** The `grpc-message` of one of the gateway's answers (null: the status's name). */
export function grpcMessageOf(answer: Answer): string | null {
  return MESSAGE_KEPT.has(answer) ? answer.message : null;
}

/**
 * Sends one of the gateway's answers (its own or a plugin's exit) to a gRPC
 * client as Kong's `kong.response.exit` does: the HTTP status kept, and a
 * trailers-only response — one HEADERS frame ending the stream, no body —
 * carrying `content-type: application/grpc`, `grpc-status` (Kong's mapping
 * of the HTTP status, unless the headers already hold one) and
 * `grpc-message` (`message`, or the status's name). The chain's
 * header_filter and the gateway's headers apply as to any answer.
 */
export function sendGrpcAnswer(ctx: RequestContext, res: ServerResponse, status: number, message: string | null, headers: OutgoingHttpHeaders): void {
  if (res.headersSent) return;
  let out = headers;
  out['content-type'] = GRPC_CONTENT_TYPE;
  const code = out['grpc-status'] === undefined ? grpcStatusOf(status) : Number(out['grpc-status']);
  out['grpc-status'] = String(code);
  out['grpc-message'] ??= encodeGrpcMessage(message ?? grpcStatusName(code));
  delete out['content-length'];
  let sent = status;
  const p = ctx.plugins;
  const chain = ctx.chain;
  if (p !== null && chain !== null) {
    p.beginResponse(status, out);
    chain.headerFilter(p);
    sent = p.status;
    out = p.responseHeaders;
  }
  addProducedHeaders(ctx, out);
  dropConnectionHeaders(out);
  ctx.status = sent;
  res.statusCode = sent;
  for (const name of Object.keys(out)) {
    const value = out[name];
    if (value !== undefined) res.setHeader(name, value);
  }
  // Ending before any head is written sends the head with END_STREAM: the trailers-only form gRPC clients read the status from.
  res.end();
}
