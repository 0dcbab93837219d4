import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE, colonPair, headerName, list } from '../typedefs';

const jsonTypes = list(z.enum(['boolean', 'number', 'string']));
const pairs = list(colonPair);

const config = z
  .object({
    remove: z
      .object({ headers: list(headerName), json: list(z.string().min(1)) })
      .strict()
      .prefault({}),
    rename: z.object({ headers: pairs, json: pairs }).strict().prefault({}),
    replace: z.object({ headers: pairs, json: pairs, json_types: jsonTypes }).strict().prefault({}),
    add: z.object({ headers: pairs, json: pairs, json_types: jsonTypes }).strict().prefault({}),
    append: z.object({ headers: pairs, json: pairs, json_types: jsonTypes }).strict().prefault({}),
  })
  .strict();

/** response-transformer: Kong's remove → rename → replace → add → append on headers and JSON bodies. */
export const responseTransformerSchema = { name: 'response-transformer', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type ResponseTransformerConfig = z.output<typeof config>;
