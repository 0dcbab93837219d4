import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { CompiledRoute, CompiledService } from '../engine/compiled';
import type { PluginChain } from '../plugins/chain';
import type { PluginContext } from '../plugins/context';
import type { UriCaptures } from '../router/types';
import { DEFAULT_HEADER_PROFILE, type HeaderProfile } from './header-profile';
import { http2HasBody, isHttp2Request } from './http2-request';

/**
 * The proxy's state for one request, from arrival to the log phase. One
 * object per request, created with all its fields so every context has the
 * same shape. The plugin-facing view (`plugins`, a PluginContext) is created
 * only for requests whose chain has plugins, so a plugin-free request
 * allocates none of it. Observers (analytics) read the final state: route,
 * service, consumerId, `status` and the latencies.
 */
export class RequestContext {
  route: CompiledRoute | null = null;
  service: CompiledService | null = null;
  /** The part of the path the route's path condition matched ('' if none). */
  prefix = '';
  /** The matched regex path's RegExp result; null for a prefix or no path. */
  captures: RegExpExecArray | null = null;
  /** Kong's `uri_captures` of the matched regex path (router/types.ts `UriCaptures`); null without groups, for a prefix or no path. */
  uriCaptures: UriCaptures | null = null;
  /** The plugins that run on this request: the route's chain, or the global one when no route matched. */
  chain: PluginChain | null = null;
  /** Plugins' view of this request, when its chain has plugins. */
  plugins: PluginContext | null = null;
  /** Headers that will go upstream: the client's own object, or a copy when plugins need both. */
  upstreamHeaders: OutgoingHttpHeaders;
  upstreamMethod: string;
  upstreamPath = '/';
  /** The query string sent upstream, without `?`; null for none. */
  upstreamQuery: string | null;
  /** A body to send instead of streaming the client's (set when plugins read or replaced it). */
  upstreamBody: Promise<Buffer> | null = null;
  /** The status sent to the client (0 until known; 499 if the client left first). */
  status = 0;
  /** The authenticated consumer's id, once known (copied from the plugins' view for observers). */
  consumerId: string | null = null;
  /** Milliseconds spent before the request went upstream; -1 if it never did. */
  proxyLatency = -1;
  /** Milliseconds from sending upstream to the upstream's response headers; -1 if none. */
  upstreamLatency = -1;
  /** Milliseconds from receiving the request to the end of the response. */
  latency = -1;
  /** Whether the client sends a body (read before hop-by-hop headers such as Transfer-Encoding are removed). */
  readonly hasBody: boolean;
  private bodyPromise: Promise<Buffer> | null = null;
  /** Sends the client its 100 Continue (set while one is owed: `Expect: 100-continue` and no body read yet). */
  sendContinue: (() => void) | null = null;
  /** True when the client repeated a header line: the upstream headers are then a copy, and the lines are restored before sending. */
  repeatsHeaderLines = false;
  /** Which of the gateway's own headers to send, and their names (GATEHOUSE_HEADERS). */
  headerProfile: HeaderProfile = DEFAULT_HEADER_PROFILE;
  /** True when the client speaks HTTP/2: its response heads carry no connection-specific headers. */
  readonly http2: boolean;
  /** The cookie consistent hashing issued to a client that lacked it (balancer/hash-input.ts), sent back with the response; null for none. */
  hashCookie: { name: string; value: string; path: string } | null = null;

  constructor(
    readonly req: IncomingMessage,
    readonly requestId: string,
    readonly scheme: 'http' | 'https',
    readonly clientIp: string,
    /** The normalized request path (what routing used). */
    readonly path: string,
    /** The request path as the client sent it, without the query (X-Forwarded-Path). */
    readonly rawPath: string,
    query: string | null,
    /** performance.now() when the request arrived. */
    readonly startedAt: number,
    /** Date.now() when the request arrived (for per-minute analytics). */
    readonly startedAtMs: number,
  ) {
    const length = req.headers['content-length'];
    // HTTP/2 has no Transfer-Encoding: a body without Content-Length is told by its stream staying open after the headers.
    this.hasBody = length !== undefined ? length !== '0' : req.headers['transfer-encoding'] !== undefined || (req.httpVersionMajor === 2 && http2HasBody(req));
    this.http2 = req.httpVersionMajor === 2 && isHttp2Request(req);
    this.upstreamHeaders = req.headers;
    this.upstreamMethod = req.method ?? 'GET';
    this.upstreamQuery = query;
  }

  /** Lets a client waiting on `Expect: 100-continue` send its body: called right before the body is read. */
  allowBody(): void {
    const send = this.sendContinue;
    if (send === null) return;
    this.sendContinue = null;
    send();
  }

  /** Reads the whole client body once; later calls share the result. */
  readBody(): Promise<Buffer> {
    if (this.bodyPromise) return this.bodyPromise;
    this.allowBody();
    this.bodyPromise = new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.req.on('data', (c: Buffer) => chunks.push(c));
      this.req.once('end', () => resolve(Buffer.concat(chunks)));
      this.req.once('error', reject);
    });
    return this.bodyPromise;
  }
}
