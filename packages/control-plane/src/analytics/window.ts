import { z } from 'zod';
import { ANALYTICS_PERIOD_MS, analyticsGranularity, type AnalyticsGranularity } from '@gatehouse/protocol';
import { schemaViolation } from '../http/api-error';
import { validate } from '../http/validate';
import type { AnalyticsWindow } from './query';

const DEFAULT_SPAN_MS: Record<AnalyticsGranularity, number> = { minute: 3_600_000, hour: 86_400_000 };
// At most this many points in one answer (a week of minutes).
const MAX_POINTS = 10_080;

/** A time given as ISO 8601 or as whole seconds since the epoch. */
const instant = z.union([
  z
    .string()
    .regex(/^\d{9,11}$/, 'must be an ISO 8601 time or seconds since the epoch')
    .transform((s) => new Date(Number(s) * 1000)),
  z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time or seconds since the epoch' }).transform((s) => new Date(s)),
]);

const windowQuery = z.object({
  since: instant.optional(),
  until: instant.optional(),
  granularity: analyticsGranularity.default('minute'),
});

/**
 * The analytics window a query string asks for: `since`/`until` (defaults: the
 * last hour by minute, the last day by hour), `granularity` minute or hour.
 * `since` is rounded down to the period, so a bucket is never cut in half.
 */
export function parseWindow(query: Record<string, unknown>, now = new Date()): AnalyticsWindow {
  const q = validate(windowQuery, { since: query.since, until: query.until, granularity: query.granularity });
  const period = ANALYTICS_PERIOD_MS[q.granularity];
  const until = q.until ?? now;
  const rawSince = q.since ?? new Date(until.getTime() - DEFAULT_SPAN_MS[q.granularity]);
  const since = new Date(Math.floor(rawSince.getTime() / period) * period);
  if (since.getTime() >= until.getTime()) {
    throw schemaViolation({ since: 'must be before until' });
  }
  if ((until.getTime() - since.getTime()) / period > MAX_POINTS) {
    throw schemaViolation({ since: `the window spans more than ${MAX_POINTS} ${q.granularity}s; use granularity=hour or a shorter window` });
  }
  return { since, until, granularity: q.granularity };
}
