import { z } from 'zod';
import { entityName, entityRef, tags, uuid, timestamp } from '../primitives';

/**
 * A plugin instance as written by a client. Its `config` is checked against the
 * named plugin's own schema by the plugin registry; here it is any JSON object.
 */
export const pluginInput = z
  .object({
    name: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[a-z0-9-]+$/, 'invalid plugin name'),
    instance_name: entityName.nullable().optional(),
    config: z.record(z.string(), z.unknown()).default({}),
    service: entityRef.nullable().optional(),
    route: entityRef.nullable().optional(),
    consumer: entityRef.nullable().optional(),
    protocols: z
      .array(z.enum(['grpc', 'grpcs', 'http', 'https', 'ws', 'wss']))
      .min(1)
      .default(['grpc', 'grpcs', 'http', 'https']),
    enabled: z.boolean().default(true),
    tags,
  })
  .strict()
  .transform((p) => ({
    ...p,
    instance_name: p.instance_name ?? null,
    service: p.service ?? null,
    route: p.route ?? null,
    consumer: p.consumer ?? null,
  }));
export type PluginInput = z.input<typeof pluginInput>;
export type PluginFields = z.output<typeof pluginInput>;

const idRef = z.object({ id: uuid }).nullable();

/** A plugin instance as stored and returned by the API. */
export const plugin = z.object({
  id: uuid,
  name: z.string(),
  instance_name: z.string().nullable(),
  config: z.record(z.string(), z.unknown()),
  service: idRef,
  route: idRef,
  consumer: idRef,
  protocols: z.array(z.string()),
  enabled: z.boolean(),
  tags: z.array(z.string()),
  created_at: timestamp,
  updated_at: timestamp,
});
export type Plugin = z.infer<typeof plugin>;
