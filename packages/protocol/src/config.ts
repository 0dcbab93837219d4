import { z } from 'zod';
import { GATEWAY_ENTITIES } from './registry';

type Entities = (typeof GATEWAY_ENTITIES)[number];

/** One list per gateway entity, of its snapshot shape (registry/gateway-entities.ts). */
type SnapshotLists = { [E in Entities as E['name']]: z.ZodDefault<z.ZodArray<E['snapshot']>> };

/**
 * A list the config lacks is empty: a DP's cached config written before an
 * entity existed (upstreams, targets) still loads after an upgrade, and a DP
 * talking to an older CP serves what that CP sends.
 */
const snapshotLists = Object.fromEntries(GATEWAY_ENTITIES.map((e) => [e.name, z.array(e.snapshot).default([])])) as SnapshotLists;

/**
 * The whole config of one runtime group, as the CP sends it to its data planes:
 * a list per registry entity, in the shape the registry ships (the API's
 * stored shapes; credentials carry their hashes, never plaintext).
 */
export const gatewayConfig = z.object({
  _format_version: z.literal('3.0'),
  ...snapshotLists,
  /**
   * The `{vault://gatehouse/NAME}` secrets this group's config references, by
   * name, decrypted (the cluster link is mTLS); absent when it references none.
   * Never any other secret of the organization, never an env-vault value.
   */
  _secrets: z.record(z.string(), z.string()).optional(),
});
export type GatewayConfig = z.infer<typeof gatewayConfig>;

/** An empty config: what a data plane serves before it has ever synced. */
export function emptyConfig(): GatewayConfig {
  return gatewayConfig.parse({ _format_version: '3.0', ...Object.fromEntries(GATEWAY_ENTITIES.map((e) => [e.name, []])) });
}
