import fs from 'node:fs';
import { z } from 'zod';
import { listenAddress, loadSettings } from '@gatehouse/protocol/node';
import { parseDnsServers } from './balancer/dns-resolver';
import { streamListenSetting } from './stream/listen-setting';
import { DEFAULT_TLS_LISTEN, plainListenSetting, tlsListenSetting, type ProxyListenAddress } from './proxy/listen-flags';
import { DEFAULT_HEADERS, DEFAULT_HEADERS_UPSTREAM, headersProblem, headersUpstreamProblem } from './proxy/header-profile';

/** A path to a readable PEM file; checked at start-up so a typo is one clear line, not a TLS error later. */
const pemFile = z
  .string()
  .min(1, 'must not be empty')
  .refine((p) => {
    try {
      return fs.readFileSync(p, 'utf8').includes('-----BEGIN ');
    } catch {
      return false;
    }
  }, 'must be the path of a readable PEM file');

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'expected host:port, for example cp.example.com:8005')
  .transform((s) => {
    const i = s.lastIndexOf(':');
    return { host: s.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(s.slice(i + 1)) };
  })
  .refine((a) => a.port >= 1 && a.port <= 65535, 'port must be between 1 and 65535');

/**
 * The data plane's settings (docs/PROXY.md, Settings). The TLS proxy listener is on
 * when GATEHOUSE_PROXY_TLS_LISTEN is set (not `off`) or a certificate is given;
 * a certificate without its key (or the reverse) is refused, naming the missing one.
 */
export const dpSettingsSchema = z
  .object({
    /** Kong's `proxy_listen` for the plain listener: `<ip>:<port>` then flags (`http2`: cleartext HTTP/2 with prior knowledge too). */
    GATEHOUSE_PROXY_LISTEN: plainListenSetting.prefault('0.0.0.0:8000'),
    /** The TLS listener, `<ip>:<port>` then flags (`http2`: ALPN h2), or `off`; unset, it opens on 0.0.0.0:8443 http2 when a certificate is given. */
    GATEHOUSE_PROXY_TLS_LISTEN: tlsListenSetting.optional(),
    GATEHOUSE_PROXY_TLS_CERT: pemFile.optional(),
    GATEHOUSE_PROXY_TLS_CERT_KEY: pemFile.optional(),
    GATEHOUSE_STATUS_LISTEN: listenAddress.default({ host: '127.0.0.1', port: 8100 }),
    /** Kong's `stream_listen`: TCP listeners for stream routes, `<ip>:<port> [ssl]` entries separated by commas, or `off` (docs/PROXY.md, Streams). */
    GATEHOUSE_STREAM_LISTEN: streamListenSetting.prefault('off'),
    /** nginx's client_header_timeout: the whole request head must arrive within it, else 408 (slowloris). */
    GATEHOUSE_PROXY_CLIENT_HEADER_TIMEOUT_MS: z.coerce.number().int('must be an integer').min(100, 'must be at least 100').max(3_600_000).default(60_000),
    /** nginx's client_body_timeout: the longest pause while a request body arrives, else 408 and the connection is closed. */
    GATEHOUSE_PROXY_CLIENT_BODY_TIMEOUT_MS: z.coerce.number().int('must be an integer').min(100, 'must be at least 100').max(3_600_000).default(60_000),
    GATEHOUSE_CLUSTER_CONTROL_PLANE: hostPort,
    GATEHOUSE_CLUSTER_CERT: pemFile,
    GATEHOUSE_CLUSTER_CERT_KEY: pemFile,
    GATEHOUSE_CLUSTER_CA: pemFile.optional(),
    GATEHOUSE_CLUSTER_SERVER_NAME: z.string().min(1).max(253).optional(),
    GATEHOUSE_DP_DIR: z.string().min(1).default('./.gatehouse-dp'),
    GATEHOUSE_WORKERS: z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(256).optional(),
    /** Traffic analytics: `off` stops counting (for benchmarks); counts still on disk are delivered. */
    GATEHOUSE_ANALYTICS: z.enum(['on', 'off']).default('on'),
    /**
     * How often traffic counts reach the spool on disk. 800 ms, so that a kill -9 loses at most the last second even
     * counting the write's own fsyncs and a busy machine's timer lag (docs/DATA-PLANE.md, Traffic counts).
     */
    GATEHOUSE_STATS_FLUSH_INTERVAL_MS: z.coerce.number().int('must be an integer').min(100).max(600_000).default(800),
    /** How often a stats batch is sent to the CP (never more often than the flush): the CP's cost per DP. */
    GATEHOUSE_STATS_SEND_INTERVAL_MS: z.coerce.number().int('must be an integer').min(100).max(600_000).default(5000),
    /** How long a stop or reload waits for a proxy's open requests and keep-alive connections before closing them. */
    GATEHOUSE_DRAIN_TIMEOUT_MS: z.coerce.number().int('must be an integer').min(0).max(600_000).default(10_000),
    /** Unacknowledged stats kept on disk at most; past it the oldest batches are dropped (and logged). */
    GATEHOUSE_STATS_MAX_SPOOL_BYTES: z.coerce
      .number()
      .int('must be an integer')
      .min(1024)
      .default(64 * 1024 * 1024),
    /**
     * Kong's `headers`: which of the gateway's own headers clients get, under Kong's names (`latency_tokens`,
     * `X-Kong-*`) or Gatehouse's (`gatehouse_latency_tokens`, `X-Gatehouse-*`); `off` sends none (docs/DATA-PLANE.md).
     */
    GATEHOUSE_HEADERS: z
      .string()
      .default(DEFAULT_HEADERS)
      .superRefine((v, ctx) => {
        const problem = headersProblem(v);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
      }),
    /** Kong's `headers_upstream`: the request id header the upstream gets (`X-Gatehouse-Request-Id`, `X-Kong-Request-Id`), or `off`. */
    GATEHOUSE_HEADERS_UPSTREAM: z
      .string()
      .default(DEFAULT_HEADERS_UPSTREAM)
      .superRefine((v, ctx) => {
        const problem = headersUpstreamProblem(v);
        if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
      }),
    /** Kong's `dns_resolver`: the DNS servers hostname targets are resolved with (`host[:port],…`); unset, the system's. */
    GATEHOUSE_DNS_RESOLVER: z
      .string()
      .transform((v, ctx) => {
        try {
          return parseDnsServers(v);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
    GATEHOUSE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((s, ctx) => {
    if (s.GATEHOUSE_PROXY_TLS_CERT && !s.GATEHOUSE_PROXY_TLS_CERT_KEY) {
      ctx.addIssue({ code: 'custom', path: ['GATEHOUSE_PROXY_TLS_CERT_KEY'], message: 'is required when GATEHOUSE_PROXY_TLS_CERT is set' });
    }
    if (s.GATEHOUSE_PROXY_TLS_CERT_KEY && !s.GATEHOUSE_PROXY_TLS_CERT) {
      ctx.addIssue({ code: 'custom', path: ['GATEHOUSE_PROXY_TLS_CERT'], message: 'is required when GATEHOUSE_PROXY_TLS_CERT_KEY is set' });
    }
  });
export type DpSettings = z.output<typeof dpSettingsSchema>;

/**
 * Where the TLS proxy listens, or null for no TLS listener: the setting when
 * given (`off`: none), else Kong's default `0.0.0.0:8443 http2` when a
 * certificate is given (without one, the listener serves a self-signed
 * default and the group's certificates; docs/PROXY.md).
 */
export function tlsListen(s: DpSettings): ProxyListenAddress | null {
  const set = s.GATEHOUSE_PROXY_TLS_LISTEN;
  // null: `off`.
  if (set !== undefined) return set;
  return s.GATEHOUSE_PROXY_TLS_CERT !== undefined ? DEFAULT_TLS_LISTEN : null;
}

/** Loads the DP settings from the environment and `--config FILE`; throws a SettingsError naming the first bad one. */
export function loadDpSettings(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): DpSettings {
  return loadSettings(dpSettingsSchema, argv, env);
}
