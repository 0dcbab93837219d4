import { z } from 'zod';
import { uuid, timestamp } from './primitives';
import { service } from './entities/service';
import { route } from './entities/route';
import { plugin } from './entities/plugin';
import { consumer } from './entities/consumer';

const consumerRef = z.object({ id: uuid });

/** A key-auth credential as shipped to data planes: the SHA-256 of the key, never the key. */
export const snapshotKeyAuth = z.object({
  id: uuid,
  consumer: consumerRef,
  key_hash: z.string().regex(/^[0-9a-f]{64}$/),
  tags: z.array(z.string()),
});

/** A basic-auth credential as shipped to data planes: a salted scrypt hash. */
export const snapshotBasicAuth = z.object({
  id: uuid,
  consumer: consumerRef,
  username: z.string(),
  password_hash: z.string(),
  tags: z.array(z.string()),
});

export const snapshotAcl = z.object({
  id: uuid,
  consumer: consumerRef,
  group: z.string(),
  tags: z.array(z.string()),
});

/**
 * The whole config of one runtime group, as the CP sends it to its data planes.
 * Entities use the API's stored shapes, so one schema serves both.
 */
export const gatewayConfig = z.object({
  _format_version: z.literal('3.0'),
  services: z.array(service),
  routes: z.array(route),
  plugins: z.array(plugin),
  consumers: z.array(consumer),
  keyauth_credentials: z.array(snapshotKeyAuth),
  basicauth_credentials: z.array(snapshotBasicAuth),
  acls: z.array(snapshotAcl),
});
export type GatewayConfig = z.infer<typeof gatewayConfig>;

/** An empty config: what a data plane serves before it has ever synced. */
export function emptyConfig(): GatewayConfig {
  return { _format_version: '3.0', services: [], routes: [], plugins: [], consumers: [], keyauth_credentials: [], basicauth_credentials: [], acls: [] };
}

