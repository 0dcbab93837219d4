import { z } from 'zod';
import { gatewayConfig } from '../config';

/** The WebSocket path data planes connect to on the cluster listener. */
export const OUTLET_PATH = '/v1/outlet';

/** How often a data plane pings, and when a quiet node counts as disconnected. */
export const PING_INTERVAL_MS = 10_000;
export const DISCONNECTED_AFTER_MS = 30_000;
export const OUT_OF_SYNC_AFTER_MS = 10_000;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** A latency histogram: counts per fixed log-scale bucket (see analytics). */
export const latencyHistogram = z.record(z.string(), z.number().int().nonnegative());

/** One per-minute traffic bucket for a route × service × consumer × status code. */
export const statsBucket = z.object({
  minute: z.number().int(),
  route_id: z.string().nullable(),
  service_id: z.string().nullable(),
  consumer_id: z.string().nullable(),
  status: z.number().int().min(100).max(999),
  count: z.number().int().positive(),
  latency_sum: z.number().nonnegative(),
  latency_max: z.number().nonnegative(),
  latency_hist: latencyHistogram,
  upstream_latency_sum: z.number().nonnegative(),
  upstream_latency_max: z.number().nonnegative(),
  upstream_latency_hist: latencyHistogram,
  /** Stream sessions' bytes from and to clients (docs/PROXY.md, Streams); absent (0) in a batch without stream traffic or from a DP older than streams. */
  bytes_in: z.number().int().nonnegative().optional(),
  bytes_out: z.number().int().nonnegative().optional(),
});
export type StatsBucket = z.infer<typeof statsBucket>;

export const helloMessage = z.object({
  type: z.literal('hello'),
  node_id: z.uuid(),
  hostname: z.string().max(256),
  version: z.string().max(64),
  config_hash: sha256Hex.nullable(),
  plugins: z.array(z.string()),
});

export const snapshotMessage = z.object({
  type: z.literal('snapshot'),
  version: z.number().int(),
  hash: sha256Hex,
  config: gatewayConfig,
});

export const appliedMessage = z.object({ type: z.literal('applied'), version: z.number().int(), hash: sha256Hex });
export const rejectedMessage = z.object({
  type: z.literal('rejected'),
  version: z.number().int(),
  hash: z.string(),
  error: z.string().max(10_000),
});
export const pingMessage = z.object({ type: z.literal('ping'), hash: sha256Hex.nullable() });
export const pongMessage = z.object({ type: z.literal('pong') });
export const statsMessage = z.object({
  type: z.literal('stats'),
  batch_id: z.uuid(),
  buckets: z.array(statsBucket).max(100_000),
});
/** The CP's answer to a batch: stored (or stored before), or `refused` with the reason: never counted, never to be sent again. */
export const statsAckMessage = z.object({ type: z.literal('stats_ack'), batch_id: z.uuid(), refused: z.string().max(1000).optional() });

/** A DP asks for a new certificate: it made the key, and sends a CSR (PEM). */
export const certRenewMessage = z.object({ type: z.literal('cert_renew'), csr: z.string().max(20_000) });
/** The CP's answer: the signed certificate (PEM) and when it expires. */
export const certIssuedMessage = z.object({
  type: z.literal('cert_issued'),
  cert: z.string(),
  not_after: z.string(),
});
export const errorMessage = z.object({ type: z.literal('error'), code: z.string(), message: z.string() });

/** The most targets one `health` message may carry, over all its upstreams (docs/SECURITY.md). */
export const MAX_REPORTED_TARGETS = 100_000;

/** A target's health in one DP, as Kong's `/upstreams/{u}/health` names it. */
export const targetHealthName = z.enum(['HEALTHY', 'UNHEALTHY', 'HEALTHCHECKS_OFF', 'DNS_ERROR']);
export type TargetHealthName = z.infer<typeof targetHealthName>;
/** One balancer entry of a target (Kong's `data.addresses[]`): an IP target's own address, or one address a hostname resolved to. */
export const addressHealth = z.object({
  ip: z.string().max(64),
  port: z.number().int().min(0).max(65535),
  health: targetHealthName,
  weight: z.number().int().min(0).max(65535),
});
export type AddressHealth = z.infer<typeof addressHealth>;
/** One upstream's targets as a DP sees them (health checks, docs/PROXY.md); `addresses` absent from a DP older than it. */
export const upstreamHealthReport = z.object({
  id: z.uuid(),
  name: z.string().max(256),
  targets: z
    .array(
      z.object({
        target: z.string().max(300),
        weight: z.number().int().min(0).max(65535),
        health: targetHealthName,
        addresses: z.array(addressHealth).max(1000).optional(),
      }),
    )
    .max(10_000),
});
export type UpstreamHealthReport = z.infer<typeof upstreamHealthReport>;
const reportedAddresses = (m: { upstreams: UpstreamHealthReport[] }): number =>
  m.upstreams.reduce((n, u) => u.targets.reduce((k, t) => k + (t.addresses?.length ?? 0), n), 0);
/** The DP's whole health picture: sent after each connection and whenever a target flips or the upstreams change (docs/CLUSTER.md). */
export const healthMessage = z
  .object({ type: z.literal('health'), upstreams: z.array(upstreamHealthReport).max(10_000) })
  .refine((m) => m.upstreams.reduce((n, u) => n + u.targets.length, 0) <= MAX_REPORTED_TARGETS, {
    error: `at most ${MAX_REPORTED_TARGETS} targets in all`,
    path: ['upstreams'],
  })
  .refine((m) => reportedAddresses(m) <= MAX_REPORTED_TARGETS, { error: `at most ${MAX_REPORTED_TARGETS} addresses in all`, path: ['upstreams'] });
/** Kong's manual override (`POST /upstreams/{u}/targets/{t}/healthy|unhealthy`), pushed by the CP to every DP of the group it holds a connection to. */
export const healthOverrideMessage = z.object({ type: z.literal('health_override'), upstream_id: z.uuid(), target: z.string().max(300), healthy: z.boolean() });
export type HealthOverride = z.infer<typeof healthOverrideMessage>;
/** Kong's proxy-cache purge (`DELETE /proxy-cache[/{cache_key}]`): every DP of the group drops that entry, or every entry when `cache_key` is null. */
export const proxyCachePurgeMessage = z.object({ type: z.literal('proxy_cache_purge'), cache_key: z.string().min(1).max(256).nullable() });
export type ProxyCachePurge = z.infer<typeof proxyCachePurgeMessage>;

/** Every message a data plane may send. */
export const dpMessage = z.discriminatedUnion('type', [
  helloMessage,
  appliedMessage,
  rejectedMessage,
  pingMessage,
  statsMessage,
  certRenewMessage,
  healthMessage,
]);
export type DpMessage = z.infer<typeof dpMessage>;

/**
 * Every message the control plane may send. A snapshot's `config` is validated
 * separately by the DP so that a bad config is reported as `rejected`.
 */
export const cpMessage = z.discriminatedUnion('type', [
  snapshotMessage.extend({ config: z.unknown() }),
  pongMessage,
  statsAckMessage,
  certIssuedMessage,
  errorMessage,
  healthOverrideMessage,
  proxyCachePurgeMessage,
]);
export type CpMessage = z.infer<typeof cpMessage>;
