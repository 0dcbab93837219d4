import { PluginContext } from '../plugins/context';
import type { Logger } from '../logging';

/** A logger that keeps what it is given, for tests that assert on log lines. */
export function memoryLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const put = (level: string) => (obj: unknown, msg?: string) => {
    lines.push({ level, ...(typeof obj === 'object' && obj !== null ? obj : { msg: obj }), ...(msg === undefined ? {} : { msg }) });
  };
  const log = { debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error'), fatal: put('fatal'), trace: put('trace') } as unknown as Logger;
  return { log, lines };
}

/** A plugin context for a request to `path?query` with these headers (names lower-case). */
export function requestContext(
  opts: { path?: string; query?: string; headers?: Record<string, string | string[]>; method?: string; captures?: object | null } = {},
): PluginContext {
  const headers = { host: 'example.test', ...(opts.headers ?? {}) };
  return new PluginContext({
    method: opts.method ?? 'GET',
    scheme: 'http',
    host: 'example.test',
    path: opts.path ?? '/',
    rawQuery: opts.query ?? '',
    clientIp: '127.0.0.1',
    headers,
    upstreamHeaders: { ...headers, 'x-gatehouse-request-id': 'req-1' },
    routeId: 'r1',
    serviceId: 's1',
    uriCaptures: opts.captures ?? null,
    readBody: () => Promise.resolve(Buffer.alloc(0)),
  });
}
