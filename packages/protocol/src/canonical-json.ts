/**
 * Canonical JSON: object keys sorted at every depth, no whitespace. Two equal
 * configs always serialize to the same bytes, so their hashes agree.
 */
export function canonicalJson(value: unknown): string {
  // What JSON.stringify would answer undefined for (though it is typed string): written as null.
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}
