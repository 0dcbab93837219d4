import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE, headerName } from '../typedefs';

const config = z
  .object({
    header_name: headerName.default('Kong-Request-ID'),
    generator: z.enum(['uuid', 'uuid#counter', 'tracker']).default('uuid#counter'),
    echo_downstream: z.boolean().default(false),
  })
  .strict();

/** correlation-id: gives each request an id header (Kong's defaults). */
export const correlationIdSchema = { name: 'correlation-id', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type CorrelationIdConfig = z.output<typeof config>;
