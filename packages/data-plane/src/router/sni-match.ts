/** A route's SNI condition, compiled: Kong's `tls.sni` forms. */
export interface SniPattern {
  kind: 'exact' | 'suffix' | 'prefix';
  value: string;
}

/**
 * Kong's SNI forms (router/transform.lua): `*.example.com` matches a name
 * ending in `.example.com`, `example.*` one starting with `example.`, any
 * other name exactly; names compare in lower case and a trailing dot does
 * not count.
 */
export function compileSni(sni: string): SniPattern {
  const s = sni.toLowerCase();
  if (s.startsWith('*')) return { kind: 'suffix', value: s.slice(1) };
  if (s.endsWith('*')) return { kind: 'prefix', value: s.slice(0, -1) };
  return { kind: 'exact', value: normalizeSni(s) };
}

/** A client's server name as SNI conditions compare it: lower case, without a trailing dot. */
export function normalizeSni(name: string): string {
  const s = name.toLowerCase();
  return s.length > 1 && s.endsWith('.') ? s.slice(0, -1) : s;
}

/** Whether a (normalized) server name meets one of the patterns; a connection without one meets none. */
export function sniMatches(patterns: readonly SniPattern[], sni: string | null): boolean {
  if (sni === null) return false;
  for (const p of patterns) {
    if (p.kind === 'exact' ? p.value === sni : p.kind === 'suffix' ? sni.endsWith(p.value) : sni.startsWith(p.value)) return true;
  }
  return false;
}
