import v8 from 'node:v8';
import { translateRegex, type RegexOptions } from '@gatehouse/protocol';
import { DP_REGEX_FLAGS } from '../node-flags';

// A regex that backtracks more than the flags allow is finished by V8's
// linear-time engine (docs/PROXY.md, Regex engine). V8 reads these flags when
// a regex is compiled, so setting them here, before any configured regex is
// compiled, protects a DP that was started without them on its command line
// (`node main.js` by hand, tests, an embedding); the launch scripts, `npm run
// dp` and the Dockerfile pass them too.
for (const flag of DP_REGEX_FLAGS) v8.setFlagsFromString(flag);

/**
 * Compiles a configured pattern for matching request data: `wrap` receives
 * the translated source (protocol's translateRegex, the same translation the
 * CP validated) and answers the final source, e.g. anchored. Throws
 * RegexRefusedError for a pattern the gateway does not run.
 */
export function compileConfiguredRegex(pattern: string, options: RegexOptions = {}, wrap: (source: string) => string = (s) => s): RegExp {
  return new RegExp(wrap(translateRegex(pattern, options)));
}
