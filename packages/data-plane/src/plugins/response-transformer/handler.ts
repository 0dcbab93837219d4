import { isJson } from './is-json';
import type { PluginHandler } from '../types';
import { applyOps, compileOps, headerStore, isEmpty, jsonStore, type Ops } from '../transform-ops';
import type { ResponseTransformerConfig } from './schema';

interface Prepared {
  headers: Ops | null;
  json: Ops<unknown> | null;
}

type JsonType = 'boolean' | 'number' | 'string';

/** Kong's json_types: the i-th value of an operation is sent as that JSON type. */
function typed(value: string, type: JsonType | undefined): unknown {
  if (type === 'boolean') return value === 'true';
  if (type === 'number') {
    const n = Number(value);
    return Number.isFinite(n) ? n : value;
  }
  return value;
}

/**
 * response-transformer (priority 800): edits the upstream's response
 * headers, and the top-level fields of a JSON response body.
 */
export const responseTransformerHandler: PluginHandler<ResponseTransformerConfig, Prepared> = {
  name: 'response-transformer',
  priority: 800,
  prepare(conf) {
    const headers = compileOps(
      { remove: conf.remove.headers, rename: conf.rename.headers, replace: conf.replace.headers, add: conf.add.headers, append: conf.append.headers },
      (n) => n.toLowerCase(),
    );
    const types = { replace: conf.replace.json_types, add: conf.add.json_types, append: conf.append.json_types };
    const json = compileOps<unknown>(
      { remove: conf.remove.json, rename: conf.rename.json, replace: conf.replace.json, add: conf.add.json, append: conf.append.json },
      undefined,
      (v, i, op) => typed(v, types[op][i]),
    );
    return { headers: isEmpty(headers) ? null : headers, json: isEmpty(json) ? null : json };
  },
  transformsResponseBody: (p) => p.json !== null,
  headerFilter(ctx, p) {
    if (p.headers !== null) applyOps(headerStore(ctx.responseHeaders), p.headers);
  },
  bodyFilter(ctx, p, body) {
    if (p.json === null || !isJson(ctx.responseHeaders['content-type'])) return body;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return body;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return body;
    applyOps(jsonStore<unknown>(parsed as Record<string, unknown>), p.json);
    return Buffer.from(JSON.stringify(parsed));
  },
};
