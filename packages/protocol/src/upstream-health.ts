import { z } from 'zod';
import { addressHealth, targetHealthName } from './cluster/messages';

/** One node's view of a target in `GET /upstreams/{u}/health`: its health there and the addresses that node balances over. */
export const nodeTargetHealth = z.object({ node_id: z.string(), hostname: z.string(), health: targetHealthName, addresses: z.array(addressHealth) });
export type NodeTargetHealth = z.infer<typeof nodeTargetHealth>;

/** One target in `GET /upstreams/{u}/health`: the target entity plus Kong's `health` and `data` (docs/API.md). */
export const targetHealthEntry = z.object({
  id: z.string(),
  target: z.string(),
  weight: z.number(),
  health: targetHealthName,
  data: z.object({
    addresses: z.array(addressHealth),
    nodes: z.array(nodeTargetHealth),
  }),
});
export type TargetHealthEntry = z.infer<typeof targetHealthEntry>;

/** The answer of `GET /runtime-groups/{rg}/upstreams/{u}/health` (what the CP sends, the UI and CLI read). */
export const upstreamHealthAnswer = z.object({
  data: z.array(targetHealthEntry.loose()),
  total: z.number(),
  next: z.null(),
  nodes: z.array(z.object({ node_id: z.string(), hostname: z.string(), reported_at: z.string() })),
});
export type UpstreamHealthAnswer = z.infer<typeof upstreamHealthAnswer>;
