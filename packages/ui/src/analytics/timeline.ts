import { ANALYTICS_PERIOD_MS, type AnalyticsReport } from '@gatehouse/protocol';

// Longer windows are drawn from the listed periods only, so a chart never holds more bars than this.
const MAX_FILLED_POINTS = 1440;

/** One bar of the chart: its time and a count per status code. */
export type TimelinePoint = { time: number } & Record<string, number>;

/**
 * The series as a continuous timeline: every period of the window gets a
 * point, quiet ones with zeros, so the time axis is even and a burst is seen
 * against the quiet around it.
 */
export function timeline(report: AnalyticsReport): TimelinePoint[] {
  const byTime = new Map<number, Record<string, number>>();
  for (const p of report.series) byTime.set(Date.parse(p.at), p.by_status_code);
  const since = Date.parse(report.since);
  const until = Date.parse(report.until);
  const period = ANALYTICS_PERIOD_MS[report.granularity];
  const count = Math.ceil((until - since) / period);
  const times = count <= MAX_FILLED_POINTS ? Array.from({ length: count }, (_, i) => since + i * period) : [...byTime.keys()].sort((a, b) => a - b);
  return times.map((time) => ({ time, ...byTime.get(time) }));
}
