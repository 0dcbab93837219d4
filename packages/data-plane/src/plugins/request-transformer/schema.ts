import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE, colonPair, headerName, httpMethodName, list } from '../typedefs';

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
  .strict();

/** request-transformer: Kong's remove → rename → replace → add → append on headers, query and body. */
export const requestTransformerSchema = { name: 'request-transformer', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type RequestTransformerConfig = z.output<typeof config>;
