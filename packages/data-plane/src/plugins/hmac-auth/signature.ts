import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { PluginContext } from '../context';

const DIGESTS: Record<string, string> = { 'hmac-sha1': 'sha1', 'hmac-sha256': 'sha256', 'hmac-sha384': 'sha384', 'hmac-sha512': 'sha512' };

/**
 * Kong's signing string: one line per signed header, joined by `\n`:
 * `name: value` for a header the request has; for one it lacks,
 * `@request-target: <method lower-case> <request uri>`, the request line
 * (`GET /path?q HTTP/1.1`), or `name:`.
 */
export function signingString(ctx: PluginContext, headers: readonly string[]): string {
  const lines: string[] = [];
  for (const name of headers) {
    const value = ctx.header(name.toLowerCase());
    if (value !== undefined) lines.push(`${name}: ${value}`);
    else if (name === '@request-target') lines.push(`${name}: ${ctx.method.toLowerCase()} ${ctx.requestUri}`);
    else if (name === 'request-line') lines.push(`${ctx.method} ${ctx.requestUri} HTTP/${Number(ctx.httpVersion).toFixed(1)}`);
    else lines.push(`${name}:`);
  }
  return lines.join('\n');
}

/** True when the base64 `signature` is the HMAC of the signing string under `secret` with the named algorithm. */
export function signatureMatches(ctx: PluginContext, algorithm: string, headers: readonly string[], secret: string, signature: string): boolean {
  const digest = DIGESTS[algorithm];
  if (digest === undefined) return false;
  const expected = createHmac(digest, secret).update(signingString(ctx, headers)).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Kong's body check: the `Digest` header is `SHA-256=<base64 of the body's SHA-256>`; without one, only an empty body passes. */
export function bodyDigestMatches(body: Buffer, digestHeader: string | undefined): boolean {
  if (digestHeader === undefined) return body.length === 0;
  return digestHeader === `SHA-256=${createHash('sha256').update(body).digest('base64')}`;
}
