import type { IncomingMessage } from 'node:http';
import { absoluteTarget } from '../router/request-path';
import { ANSWERS, type Answer } from './answers';
import { adaptHttp2Request, isHttp2Request } from './http2-request';

/** Whether a raw header name is `Host` in any case (the common spellings without allocating). */
function isHost(name: string): boolean {
  return name.length === 4 && (name === 'Host' || name === 'host' || name.toLowerCase() === 'host');
}

/**
 * Checks what RFC 9112 requires of a request before it is routed, and
 * normalizes its target, as nginx (and so Kong) does (docs/PROXY.md, HTTP
 * conformance):
 * - an HTTP/2.0 (or any later) request line on this HTTP/1.1 listener is
 *   answered 505, never served; one without a version (HTTP/0.9) is a 400;
 * - more than one Host header line is a 400 (Node keeps only the first);
 * - an absolute-form target routes by its authority: the Host header is
 *   replaced with it and the target becomes origin-form.
 * A request that really arrived over HTTP/2 (ALPN h2, or prior knowledge on
 * an `http2` listener) has none of these to check: its headers are given
 * the HTTP/1.1 view instead (`:authority` as Host; proxy/http2-request.ts).
 * Answers the refusal, or null when the request may go on.
 */
export function checkRequestLine(req: IncomingMessage): Answer | null {
  if (req.httpVersionMajor !== 1) {
    if (req.httpVersionMajor === 2 && isHttp2Request(req)) {
      adaptHttp2Request(req);
      return null;
    }
    // A request line without a version parses as HTTP/0.9: malformed here, not a version to refuse.
    return req.httpVersionMajor > 1 ? ANSWERS.versionNotSupported : ANSWERS.badRequest;
  }
  const raw = req.rawHeaders;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name !== undefined && isHost(name)) hosts++;
  }
  if (hosts > 1) return ANSWERS.badRequest;
  const absolute = absoluteTarget(req.url ?? '/');
  if (absolute !== null) {
    req.headers.host = absolute.authority;
    req.url = absolute.originForm;
  }
  return null;
}
