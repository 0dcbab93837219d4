import { z } from 'zod';

/**
 * An upstream's `healthchecks` record, Kong's fields and defaults (probing
 * and counting are off by default: every interval and counter is 0). Stored
 * and shipped whole; the data plane's balancer reads it (active and passive
 * checks are a later step, docs/PROXY.md).
 */

const between = (min: number, max: number) => `value should be between ${min} and ${max}`;
const seconds = z.number().min(0, between(0, 65535)).max(65535, between(0, 65535));
const counter = z.number().int('must be an integer').min(0, between(0, 255)).max(255, between(0, 255));
const statuses = z.array(z.number().int('must be an integer').min(100, between(100, 999)).max(999, between(100, 999))).max(1000);
const checkType = z.enum(['tcp', 'http', 'https', 'grpc', 'grpcs']);

const activeHealthy = z.strictObject({
  interval: seconds.default(0),
  http_statuses: statuses.default([200, 302]),
  successes: counter.default(0),
});

const activeUnhealthy = z.strictObject({
  interval: seconds.default(0),
  http_statuses: statuses.default([429, 404, 500, 501, 502, 503, 504, 505]),
  tcp_failures: counter.default(0),
  timeouts: counter.default(0),
  http_failures: counter.default(0),
});

const active = z.strictObject({
  type: checkType.default('http'),
  timeout: seconds.default(1),
  concurrency: z
    .number()
    .int('must be an integer')
    .min(1, between(1, 2 ** 31))
    .max(2 ** 31, between(1, 2 ** 31))
    .default(10),
  http_path: z.string().max(1024).regex(/^\//, 'should start with: /').default('/'),
  https_sni: z.string().max(255).nullable().default(null),
  https_verify_certificate: z.boolean().default(true),
  headers: z
    .record(z.string().regex(/^[A-Za-z0-9_-]+$/, "allowed characters are A-Z, a-z, 0-9, '_', and '-'"), z.array(z.string().max(4096)).max(64))
    .nullable()
    .default(null),
  healthy: activeHealthy.prefault({}),
  unhealthy: activeUnhealthy.prefault({}),
});

const passiveHealthy = z.strictObject({
  http_statuses: statuses.default([200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308]),
  successes: counter.default(0),
});

const passiveUnhealthy = z.strictObject({
  http_statuses: statuses.default([429, 500, 503]),
  tcp_failures: counter.default(0),
  timeouts: counter.default(0),
  http_failures: counter.default(0),
});

const passive = z.strictObject({
  type: checkType.default('http'),
  healthy: passiveHealthy.prefault({}),
  unhealthy: passiveUnhealthy.prefault({}),
});

export const healthchecks = z
  .strictObject({
    active: active.prefault({}),
    passive: passive.prefault({}),
    threshold: z.number().min(0, between(0, 100)).max(100, between(0, 100)).default(0),
  })
  .prefault({});
export type Healthchecks = z.output<typeof healthchecks>;

/**
 * Kong's test for an upstream using health checks: an active interval, or a
 * passive failure counter, above 0. Otherwise its targets show
 * HEALTHCHECKS_OFF in `/upstreams/{u}/health` (docs/PROXY.md).
 */
export function healthchecksOn(hc: Healthchecks): boolean {
  const { active, passive } = hc;
  return (
    active.healthy.interval > 0 ||
    active.unhealthy.interval > 0 ||
    passive.unhealthy.tcp_failures > 0 ||
    passive.unhealthy.timeouts > 0 ||
    passive.unhealthy.http_failures > 0
  );
}
