import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE } from '../typedefs';
import { customFieldsByLua, hostField, portField } from '../log-serializer/fields';

const config = z
  .object({
    host: hostField,
    port: portField,
    timeout: z.number().default(10000),
    keepalive: z.number().default(60000),
    tls: z.boolean().default(false),
    tls_sni: z.string().nullable().default(null),
    custom_fields_by_lua: customFieldsByLua,
  })
  .strict();

/** tcp-log: Kong's log entries as JSON lines over a TCP (or TLS) connection. */
export const tcpLogSchema = { name: 'tcp-log', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type TcpLogConfig = z.output<typeof config>;
