/**
 * Compiles a Kong regex path (the text after `~`) to a JS RegExp anchored at
 * the start of the path, as Kong anchors it. PCRE spellings Kong users write
 * are translated: `(?P<name>` named groups, and a leading `(?i)` for
 * case-insensitive matching. Throws a SyntaxError for an invalid pattern.
 */
export function compileRegexPath(source: string): RegExp {
  let pattern = source;
  let flags = '';
  if (pattern.startsWith('(?i)')) {
    pattern = pattern.slice(4);
    flags = 'i';
  }
  pattern = pattern.replace(/\(\?P</g, '(?<');
  return new RegExp(`^(?:${pattern})`, flags);
}
