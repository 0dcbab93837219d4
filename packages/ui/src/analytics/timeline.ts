import type { Analytics } from '../api/types';
import { toDate } from '../data/time';

const PERIOD_MS = { minute: 60_000, hour: 3_600_000 } as const;

/** One bar of the chart: its time and a count per status code. */
export type TimelinePoint = { time: number } & Record<string, number>;

/**
 * The series as a continuous timeline: every period of the window gets a
 * point, quiet ones with zeros, so the time axis is even and a burst is seen
 * against the quiet around it. Without a window in the answer, only the
 * periods the API listed are shown.
 */
export function timeline(report: Analytics): TimelinePoint[] {
  const byTime = new Map<number, Record<string, number>>();
  for (const p of report.series) {
    const at = toDate(p.at);
    if (at) byTime.set(at.getTime(), p.by_status_code);
  }
  const since = toDate(report.since);
  const until = toDate(report.until);
  const period = PERIOD_MS[report.granularity ?? 'minute'];
  const times =
    since && until && (until.getTime() - since.getTime()) / period <= 1440
      ? Array.from({ length: Math.ceil((until.getTime() - since.getTime()) / period) }, (_, i) => since.getTime() + i * period)
      : [...byTime.keys()].sort((a, b) => a - b);
  return times.map((time) => ({ time, ...byTime.get(time) }) as TimelinePoint);
}
