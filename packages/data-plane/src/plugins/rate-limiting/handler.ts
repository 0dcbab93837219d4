import type { PluginContext } from '../context';
import type { PluginHandler, PrepareEnv } from '../types';
import type { PluginRuntime } from '../runtime';
import { PERIODS, type Period, type RateLimitingConfig } from './schema';
import { LocalCounters, type Usage } from './local-counters';
import { takeFromRedis } from './redis-policy';
import { WINDOW_SECONDS, secondsToReset, windowStart } from './windows';

interface Limit {
  period: Period;
  limit: number;
  /** The limit as a header value, computed once. */
  limitText: string;
  /** Precomputed header names, lower-case like every key of ctx.responseHeaders (x-ratelimit-limit-minute). */
  limitHeader: string;
  remainingHeader: string;
}

interface Prepared {
  pluginId: string;
  limits: Limit[];
  identify: (ctx: PluginContext) => string;
  take: (ctx: PluginContext, identifier: string, nowMs: number) => Usage | Promise<Usage>;
  hideHeaders: boolean;
  faultTolerant: boolean;
  errorCode: number;
  errorMessage: string;
  runtime: PluginRuntime;
}

/** Kong's identifiers: who shares a counter. Anything unknown falls back to the client IP. */
function identifier(conf: RateLimitingConfig): (ctx: PluginContext) => string {
  switch (conf.limit_by) {
    case 'consumer':
      return (ctx) => ctx.consumer?.id ?? ctx.credential?.id ?? ctx.clientIp;
    case 'credential':
      return (ctx) => ctx.credential?.id ?? ctx.clientIp;
    case 'ip':
      return (ctx) => ctx.clientIp;
    case 'service':
      return (ctx) => ctx.serviceId ?? ctx.clientIp;
    case 'header': {
      const name = (conf.header_name ?? '').toLowerCase();
      return (ctx) => ctx.header(name) ?? ctx.clientIp;
    }
    case 'path':
      return (ctx) => (ctx.path === conf.path ? conf.path : ctx.clientIp);
  }
}

/** The policy: where counts live and how one request is checked and counted. */
function policy(conf: RateLimitingConfig, limits: Limit[], env: PrepareEnv): Prepared['take'] {
  const limitValues = limits.map((l) => l.limit);
  const starts = (nowMs: number): number[] => limits.map((l) => windowStart(l.period, nowMs));
  if (conf.policy === 'redis') {
    // The schema requires redis_host with the redis policy.
    if (conf.redis_host === null) throw new Error('rate-limiting: the redis policy needs redis_host');
    const client = env.runtime.redis({
      host: conf.redis_host,
      port: conf.redis_port,
      username: conf.redis_username,
      password: conf.redis_password,
      database: conf.redis_database,
      timeoutMs: conf.redis_timeout,
      ssl: conf.redis_ssl,
      sslVerify: conf.redis_ssl_verify,
      serverName: conf.redis_server_name,
    });
    const ttls = limits.map((l) => WINDOW_SECONDS[l.period]);
    return (ctx, id, nowMs) => {
      const s = starts(nowMs);
      const keys = limits.map((l, i) => `ratelimit:${ctx.routeId ?? ''}:${ctx.serviceId ?? ''}:${id}:${s[i]}:${l.period}`);
      return takeFromRedis(client, keys, limitValues, ttls);
    };
  }
  const counters = env.runtime.singleton('rate-limiting:local', () => {
    const made = new LocalCounters();
    env.runtime.onSwap((live) => made.retainOnly(live));
    return made;
  });
  // The schema requires at least one limit; they are sorted shortest period first.
  const longest = limits.at(-1)?.period;
  if (longest === undefined) throw new Error('rate-limiting: no limit configured');
  // The local check is synchronous and its answer is read at once (`apply`), so one scratch
  // array and one answer object per instance are never shared by two requests.
  const s = new Array<number>(limits.length);
  const usage: Usage = { counts: new Array<number>(limits.length).fill(0), allowed: true };
  return (ctx, id, nowMs) => {
    for (const [i, l] of limits.entries()) s[i] = windowStart(l.period, nowMs);
    const end = windowStart(longest, nowMs) + WINDOW_SECONDS[longest] * 1000;
    return counters.take(`${env.pluginId}|${ctx.routeId ?? ''}|${ctx.serviceId ?? ''}|${id}`, s, limitValues, end, usage);
  };
}

/**
 * Sets Kong's headers and answers 429 over the limit. RateLimit-* describe
 * the period with the fewest requests left (on a tie, the longer window);
 * Retry-After is that period's reset.
 */
function apply(ctx: PluginContext, p: Prepared, usage: Usage, nowMs: number): void {
  const h = ctx.responseHeaders;
  let chosen: Limit | undefined;
  let bestRemaining = 0;
  for (const [i, l] of p.limits.entries()) {
    const used = usage.counts[i] ?? 0;
    // The request being answered counts too, whether it passes or not (Kong's arithmetic).
    const remaining = Math.max(0, l.limit - used - (usage.allowed || used >= l.limit ? 1 : 0));
    if (!p.hideHeaders) {
      h[l.limitHeader] = l.limitText;
      h[l.remainingHeader] = String(remaining);
    }
    if (chosen === undefined || remaining < bestRemaining || (remaining === bestRemaining && WINDOW_SECONDS[l.period] > WINDOW_SECONDS[chosen.period])) {
      chosen = l;
      bestRemaining = remaining;
    }
  }
  if (chosen === undefined) return;
  const reset = secondsToReset(chosen.period, nowMs);
  if (!p.hideHeaders) {
    h['ratelimit-limit'] = chosen.limitText;
    h['ratelimit-remaining'] = String(bestRemaining);
    h['ratelimit-reset'] = String(reset);
  }
  if (!usage.allowed) ctx.error(p.errorCode, p.errorMessage, { 'retry-after': String(reset) });
}

function fail(ctx: PluginContext, p: Prepared, err: unknown): void {
  p.runtime.log.error(
    { event: 'rate_limit_unavailable', plugin_id: p.pluginId, err: (err as Error).message },
    `rate-limiting: failed to get usage: ${(err as Error).message}`,
  );
  if (!p.faultTolerant) ctx.error(500);
}

/**
 * rate-limiting (priority 910): counts requests per identifier and window
 * with the `local` (this process) or `redis` (shared by every DP) policy.
 * A request over a limit is answered 429 and not counted. When the counts
 * cannot be read, `fault_tolerant` lets the request through without headers.
 */
export const rateLimitingHandler: PluginHandler<RateLimitingConfig, Prepared> = {
  name: 'rate-limiting',
  priority: 910,
  prepare(conf, env) {
    const limits: Limit[] = [];
    for (const period of PERIODS) {
      const limit = conf[period];
      if (limit !== null)
        limits.push({
          period,
          limit,
          limitText: String(limit),
          limitHeader: `x-ratelimit-limit-${period}`,
          remainingHeader: `x-ratelimit-remaining-${period}`,
        });
    }
    return {
      pluginId: env.pluginId,
      limits,
      identify: identifier(conf),
      take: policy(conf, limits, env),
      hideHeaders: conf.hide_client_headers,
      faultTolerant: conf.fault_tolerant,
      errorCode: conf.error_code,
      errorMessage: conf.error_message,
      runtime: env.runtime,
    };
  },
  access(ctx, p) {
    const nowMs = Date.now();
    let usage: Usage | Promise<Usage>;
    try {
      usage = p.take(ctx, p.identify(ctx), nowMs);
    } catch (err) {
      fail(ctx, p, err);
      return;
    }
    if (usage instanceof Promise) {
      return usage.then(
        (u) => apply(ctx, p, u, nowMs),
        (err: unknown) => fail(ctx, p, err),
      );
    }
    apply(ctx, p, usage, nowMs);
  },
};
