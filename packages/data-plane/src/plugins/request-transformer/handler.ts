import type { PluginContext } from '../context';
import type { PluginHandler } from '../types';
import { parseBody, serializeBody } from '../request-body';
import { applyOps, compileOps, headerStore, isEmpty, jsonStore, paramsStore, type Ops } from '../transform-ops';
import { isTemplate } from '../../lua/template';
import { renderedOps, TemplatePlan } from '../../lua/templates-plan';
import type { RequestTransformerConfig } from './schema';

interface Prepared {
  method: string | null;
  uri: string | null;
  headers: Ops | null;
  query: Ops | null;
  body: Ops | null;
  /** The instance's `$(…)` values, compiled; null when it has none. */
  templates: TemplatePlan | null;
}

type Section = 'headers' | 'querystring' | 'body';

const lower = (n: string): string => n.toLowerCase();
// A template is rendered before its name is normalized (`$(query_params.Foo)` keeps its case).
const lowerUnlessTemplate = (n: string): string => (isTemplate(n) ? n : n.toLowerCase());

function opsFor(conf: RequestTransformerConfig, section: Section, normalize?: (n: string) => string): Ops | null {
  const ops = compileOps(
    { remove: conf.remove[section], rename: conf.rename[section], replace: conf.replace[section], add: conf.add[section], append: conf.append[section] },
    normalize,
  );
  return isEmpty(ops) ? null : ops;
}

function templatesOf(conf: RequestTransformerConfig, plan: TemplatePlan): TemplatePlan | null {
  if (conf.replace.uri !== null) plan.add(conf.replace.uri, 'config.replace.uri');
  for (const op of ['rename', 'replace', 'add', 'append'] as const) {
    for (const section of ['headers', 'querystring', 'body'] as const) {
      conf[op][section].forEach((pair, i) => plan.add(pair.slice(pair.indexOf(':') + 1), `config.${op}.${section}[${i}]`));
    }
  }
  return plan.size > 0 ? plan : null;
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
 * or urlencoded body fields. Values with Kong's `$(…)` templates are Lua
 * expressions over `headers`, `query_params`, `uri_captures` and `shared`,
 * compiled once per config and rendered per request (a failed render is
 * Kong's 500).
 */
export const requestTransformerHandler: PluginHandler<RequestTransformerConfig, Prepared> = {
  name: 'request-transformer',
  priority: 801,
  prepare(conf, env) {
    const templates = JSON.stringify(conf).includes('$(') ? templatesOf(conf, new TemplatePlan('request-transformer', env.pluginId, env.runtime.log)) : null;
    return {
      method: conf.http_method,
      uri: conf.replace.uri,
      headers: opsFor(conf, 'headers', templates === null ? lower : lowerUnlessTemplate),
      query: opsFor(conf, 'querystring'),
      body: opsFor(conf, 'body'),
      templates,
    };
  },
  access(ctx, p) {
    let { uri, headers, query, body } = p;
    if (p.templates !== null) {
      const rendered = p.templates.render(ctx);
      if (rendered === null) {
        // A template that called kong.response.exit has answered already.
        if (ctx.exitResponse === null) ctx.error(500);
        return;
      }
      if (uri !== null) uri = rendered.get(uri) ?? uri;
      if (headers !== null) headers = renderedOps(headers, rendered, lower);
      if (query !== null) query = renderedOps(query, rendered);
      if (body !== null) body = renderedOps(body, rendered);
    }
    if (p.method !== null) ctx.upstreamMethod = p.method;
    if (headers !== null) applyOps(headerStore(ctx.upstreamHeaders), headers);
    if (query !== null) {
      const q = ctx.query();
      applyOps(paramsStore(q), query);
      ctx.setQuery(q);
    }
    if (uri !== null) ctx.upstreamPath = uri;
    if (body !== null) return transformBody(ctx, body);
  },
};
