import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE, colonPair, headerName, httpMethodName, list } from '../typedefs';
import { checkTemplate } from '../../lua/template';

const names = list(z.string().min(1));
const pairs = list(colonPair);

const config = z
  .object({
    http_method: httpMethodName.nullable().default(null),
    remove: z
      .object({ headers: list(headerName), querystring: names, body: names })
      .strict()
      .prefault({}),
    rename: z.object({ headers: pairs, querystring: pairs, body: pairs }).strict().prefault({}),
    replace: z
      .object({ headers: pairs, querystring: pairs, body: pairs, uri: z.string().min(1).nullable().default(null) })
      .strict()
      .prefault({}),
    add: z.object({ headers: pairs, querystring: pairs, body: pairs }).strict().prefault({}),
    append: z.object({ headers: pairs, querystring: pairs, body: pairs }).strict().prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    // Kong's templates: every `$(…)` must parse and use only the template surface (lua/surface.ts).
    if (c.replace.uri !== null) {
      const problem = checkTemplate(c.replace.uri);
      if (problem !== null) ctx.addIssue({ code: 'custom', path: ['replace', 'uri'], message: problem });
    }
    for (const op of ['rename', 'replace', 'add', 'append'] as const) {
      for (const section of ['headers', 'querystring', 'body'] as const) {
        c[op][section].forEach((pair, i) => {
          const problem = checkTemplate(pair.slice(pair.indexOf(':') + 1));
          if (problem !== null) ctx.addIssue({ code: 'custom', path: [op, section, i], message: problem });
        });
      }
    }
  });

/** request-transformer: Kong's remove → rename → replace → add → append on headers, query and body. */
export const requestTransformerSchema = { name: 'request-transformer', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type RequestTransformerConfig = z.output<typeof config>;
