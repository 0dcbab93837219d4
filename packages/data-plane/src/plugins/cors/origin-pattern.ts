/**
 * What a configured cors origin means, shared by the schema (the CP's
 * validation) and the DP's compiler, and free of side effects so the CP and
 * the CLI can load the schema. An entry made only of `A-Za-z0-9.:/-` is a
 * literal origin; anything else is a regex.
 */
const LITERAL = /^[A-Za-z0-9.:/-]+$/;

/** Whether a configured origin is a plain literal (a single one is sent as it is, whatever the request's Origin). */
export function isLiteralOrigin(entry: string): boolean {
  return LITERAL.test(entry);
}

/**
 * The regex a non-literal entry stands for, as Kong builds it: anchored at
 * the start, and at the end unless it already ends with `$`. The CP
 * validates this same text through the same translator the DP compiles it with.
 */
export function originPattern(entry: string): string {
  let source = entry.endsWith('$') ? entry : `${entry}$`;
  if (source.startsWith('^')) source = source.slice(1);
  return `^${source}`;
}
