import { z } from 'zod';
import type { PluginSchema } from '../types';
import { ANY_SCOPE } from '../typedefs';
import { customFieldsByLua, hostField, portField } from '../log-serializer/fields';

const config = z
  .object({
    host: hostField,
    port: portField,
    timeout: z.number().default(10000),
    custom_fields_by_lua: customFieldsByLua,
  })
  .strict();

/** udp-log: Kong's log entries as one JSON datagram each. */
export const udpLogSchema = { name: 'udp-log', config, scopes: ANY_SCOPE } satisfies PluginSchema;
export type UdpLogConfig = z.output<typeof config>;
