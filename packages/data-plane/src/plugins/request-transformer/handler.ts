import type { PluginContext } from '../context';
import type { PluginHandler } from '../types';
import { parseBody, serializeBody } from '../request-body';
import { applyOps, compileOps, headerStore, isEmpty, jsonStore, paramsStore, type Ops } from '../transform-ops';
import type { RequestTransformerConfig } from './schema';

interface Prepared {
  method: string | null;
  uri: string | null;
  headers: Ops | null;
  query: Ops | null;
  body: Ops | null;
}

type Section = 'headers' | 'querystring' | 'body';

function opsFor(conf: RequestTransformerConfig, section: Section, normalize?: (n: string) => string): Ops | null {
  const ops = compileOps(
    { remove: conf.remove[section], rename: conf.rename[section], replace: conf.replace[section], add: conf.add[section], append: conf.append[section] },
    normalize,
  );
  return isEmpty(ops) ? null : ops;
}

async function transformBody(ctx: PluginContext, ops: Ops): Promise<void> {
  const body = parseBody(ctx.header('content-type'), await ctx.readBody());
  if (body === null) return;
  applyOps(body.kind === 'form' ? paramsStore(body.value) : jsonStore<string>(body.value), ops);
  ctx.upstreamBody = serializeBody(body);
}

/**
 * request-transformer (priority 801): edits the request before it goes
 * upstream: method, path (`replace.uri`), headers, query arguments and JSON
 * or urlencoded body fields. Values are used literally (Kong's `$(…)`
 * templates are not evaluated).
 */
export const requestTransformerHandler: PluginHandler<RequestTransformerConfig, Prepared> = {
  name: 'request-transformer',
  priority: 801,
  prepare(conf) {
    return {
      method: conf.http_method,
      uri: conf.replace.uri,
      headers: opsFor(conf, 'headers', (n) => n.toLowerCase()),
      query: opsFor(conf, 'querystring'),
      body: opsFor(conf, 'body'),
    };
  },
  access(ctx, p) {
    if (p.method !== null) ctx.upstreamMethod = p.method;
    if (p.headers !== null) applyOps(headerStore(ctx.upstreamHeaders), p.headers);
    if (p.query !== null) {
      const q = ctx.query();
      applyOps(paramsStore(q), p.query);
      ctx.setQuery(q);
    }
    if (p.uri !== null) ctx.upstreamPath = p.uri;
    if (p.body !== null) return transformBody(ctx, p.body);
  },
};
