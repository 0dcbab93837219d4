import { compileConfiguredRegex } from '../../router/linear-regex';
import { isLiteralOrigin, originPattern } from './origin-pattern';

/**
 * Kong's origin matching for the cors plugin. An entry made only of
 * `A-Za-z0-9.:/-` is a literal origin, compared after normalising scheme,
 * host and default port; anything else is a regex, anchored at the end, and
 * tested against the host alone when the entry has no ':'.
 */
export type OriginRule = { kind: 'literal'; origin: string } | { kind: 'regex'; re: RegExp; byHost: boolean };

/** `https://Example.com:443` → `https://example.com`; a value without a scheme is kept as it is. */
export function normalizeOrigin(value: string): { origin: string; host: string } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/:?#]+)(?::(\d+))?/.exec(value);
  const [, rawScheme, rawHost, rawPort] = m ?? [];
  if (rawScheme === undefined || rawHost === undefined) return { origin: value, host: value };
  const scheme = rawScheme.toLowerCase();
  const host = rawHost.toLowerCase();
  let port = rawPort;
  if ((scheme === 'http' && port === '80') || (scheme === 'https' && port === '443')) port = undefined;
  return { origin: `${scheme}://${host}${port ? `:${port}` : ''}`, host };
}

/** Compiles the configured origins (an entry `*` is handled by the caller). */
export function compileOrigins(origins: readonly string[]): OriginRule[] {
  return origins.map((entry) => {
    if (isLiteralOrigin(entry)) return { kind: 'literal', origin: normalizeOrigin(entry).origin };
    return { kind: 'regex', re: compileConfiguredRegex(originPattern(entry)), byHost: !entry.includes(':') };
  });
}

/** The normalised request origin if some rule allows it, else null. */
export function matchOrigin(rules: readonly OriginRule[], requestOrigin: string): string | null {
  const req = normalizeOrigin(requestOrigin);
  for (const rule of rules) {
    if (rule.kind === 'literal' ? rule.origin === req.origin : rule.re.test(rule.byHost ? req.host : req.origin)) return req.origin;
  }
  return null;
}
