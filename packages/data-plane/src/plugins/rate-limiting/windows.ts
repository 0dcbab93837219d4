import type { Period } from './schema';

/** Kong's window lengths in seconds (a month counts 30 days, a year 365, as in Kong). */
export const WINDOW_SECONDS: Readonly<Record<Period, number>> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
  month: 2592000,
  year: 31536000,
};

/**
 * When the current window of `period` began, in ms since the epoch: the
 * start of the current UTC second, minute, hour, day, calendar month or
 * calendar year (Kong's `timestamp.get_timestamps`).
 */
export function windowStart(period: Period, nowMs: number): number {
  switch (period) {
    case 'second':
      return nowMs - (nowMs % 1000);
    case 'minute':
      return nowMs - (nowMs % 60_000);
    case 'hour':
      return nowMs - (nowMs % 3_600_000);
    case 'day':
      return nowMs - (nowMs % 86_400_000);
    case 'month': {
      const d = new Date(nowMs);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    }
    case 'year':
      return Date.UTC(new Date(nowMs).getUTCFullYear(), 0, 1);
  }
}

/**
 * Seconds until the window of `period` resets, at least 1 (Kong's
 * `RateLimit-Reset` / `Retry-After`: the window length minus the whole
 * seconds elapsed in it).
 */
export function secondsToReset(period: Period, nowMs: number): number {
  return Math.max(1, WINDOW_SECONDS[period] - Math.floor((nowMs - windowStart(period, nowMs)) / 1000));
}
