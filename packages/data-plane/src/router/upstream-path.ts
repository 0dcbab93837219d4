/** Kong's cleanup of the part of the path after the matched prefix. */
function sanitizePostfix(postfix: string): string {
  if (postfix === '.' || postfix === '..') return '';
  if (postfix.startsWith('./')) return postfix.slice(2);
  if (postfix.startsWith('../')) return postfix.slice(3);
  return postfix;
}

/**
 * The path sent upstream, by Kong's rules: `strip_path` drops the part of
 * the request path the route matched (`prefix`), the service `path` is
 * prepended, and `path_handling` v0 (Kong's default) / v1 decide how the
 * slashes between them are joined. `prefix` is '' when the route matched
 * without a path condition.
 */
export function upstreamPath(servicePath: string | null, stripPath: boolean, pathHandling: 'v0' | 'v1', reqPath: string, prefix: string): string {
  const base = servicePath ?? '/';
  const postfix = prefix !== '' ? sanitizePostfix(reqPath.slice(prefix.length)) : reqPath.slice(1);
  const baseEndsSlash = base.endsWith('/');
  if (pathHandling === 'v1') {
    if (!stripPath) return base + reqPath.slice(1);
    return baseEndsSlash && postfix.startsWith('/') ? base.slice(0, -1) + postfix : base + postfix;
  }
  if (baseEndsSlash) {
    if (!stripPath) return base + reqPath.slice(1);
    if (postfix === '') {
      if (base === '/') return '/';
      return reqPath.endsWith('/') ? base : base.slice(0, -1);
    }
    return postfix.startsWith('/') ? base.slice(0, -1) + postfix : base + postfix;
  }
  if (!stripPath) return reqPath === '/' ? base : base + reqPath;
  if (postfix === '') return reqPath.length > 1 && reqPath.endsWith('/') ? `${base}/` : base;
  return postfix.startsWith('/') ? base + postfix : `${base}/${postfix}`;
}
