import { compileConfiguredRegex } from './linear-regex';

/**
 * Compiles a Kong regex path (the text after `~`) to a JS RegExp anchored at
 * the start of the path, as Kong anchors it. The pattern goes through
 * protocol's translateRegex (named groups and inline flags as Kong takes
 * them), so it runs in bounded time. Throws for a pattern the gateway
 * refuses, with the reason.
 */
export function compileRegexPath(source: string): RegExp {
  return compileConfiguredRegex(source, {}, (s) => `^(?:${s})`);
}
