/** A time as the API sends it: whole seconds since the epoch (entities) or an ISO string (analytics). */
export type TimeValue = number | string | null;

/**
 * Reads an API timestamp. Numbers below 1e12 are seconds (Kong's convention),
 * larger ones milliseconds; strings are ISO dates.
 */
export function toDate(value: TimeValue | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return new Date(value < 1e12 ? value * 1000 : value);
  const asNumber = Number(value);
  if (!Number.isNaN(asNumber)) return toDate(asNumber);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : new Date(parsed);
}

/** "12 s ago", "3 min ago", or a date for anything older than a day. */
export function ago(value: TimeValue | undefined, now = Date.now()): string {
  const date = toDate(value);
  if (!date) return 'never';
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return date.toLocaleString();
}

/** Whole days from now until `value` (negative once past). */
export function daysUntil(value: TimeValue | undefined, now = Date.now()): number | null {
  const date = toDate(value);
  return date ? Math.floor((date.getTime() - now) / 86400000) : null;
}

/** A short date for tables. */
export function shortDate(value: TimeValue | undefined): string {
  const date = toDate(value);
  return date ? date.toISOString().slice(0, 10) : '—';
}
