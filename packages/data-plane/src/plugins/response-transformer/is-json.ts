/**
 * `application/json` or `application/<anything>+json`, anywhere in the header
 * (as the regex /application\/(.*\+)?json/i would, but in linear time: the
 * upstream writes this header, and a backtracking regex was quadratic in it).
 */
export function isJson(contentType: unknown): boolean {
  if (typeof contentType !== 'string') return false;
  const type = contentType.toLowerCase();
  const at = type.indexOf('application/');
  return at >= 0 && (type.includes('application/json', at) || type.includes('+json', at + 'application/'.length));
}
