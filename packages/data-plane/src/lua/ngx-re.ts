import { compileConfiguredRegex } from '../router/linear-regex';
import { thrownMessage } from '@gatehouse/protocol';

/** One match as the prelude's `ngx.re.*` read it: 1-based inclusive byte offsets, groups (unmatched: false). */
export interface ReMatch {
  from: number;
  to: number;
  all: (string | false)[];
  names: Record<string, string | false>;
  /** Byte span of each group (index 0: group 1), false when the group did not take part. */
  spans: ([number, number] | false)[];
}

const cache = new Map<string, RegExp | string>();
const CACHE_MAX = 512;
/** The most matches one `ngx.re.gsub` may make (its answer is then `nil, err`). */
const MAX_MATCHES = 100_000;

/**
 * Compiles an `ngx.re` pattern with its option letters through the same
 * PCRE translation as route regexes (so it runs in linear time). Answers an
 * error message for a pattern or option the DP does not run.
 */
function compile(pattern: string, options: string): RegExp | string {
  const key = `${options}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let out: RegExp | string;
  let flags = 'gd';
  for (const o of options) {
    if (o === 's' || o === 'm') flags += o;
    else if (o === 'a') flags = flags.replace('g', 'y');
    else if (o === 'x') {
      flags = '';
      break;
    }
  }
  if (flags === '') out = 'regex option x (extended) is not supported';
  else {
    try {
      out = new RegExp(compileConfiguredRegex(pattern, { caseInsensitive: options.includes('i') }).source, flags);
    } catch (err) {
      out = `failed to compile regex "${pattern}": ${thrownMessage(err)}`;
    }
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, out);
  return out;
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Every match of `pattern` in `subject` (at most `limit`, 0 for all), in
 * Lua's terms, or an error message. Offsets are bytes of the UTF-8 subject.
 */
export function reAll(subject: string, pattern: string, options: string, limit: number): ReMatch[] | string {
  const re = compile(pattern, options);
  if (typeof re === 'string') return re;
  const bytes = ASCII.test(subject) ? (i: number) => i : (i: number) => Buffer.byteLength(subject.slice(0, i));
  const out: ReMatch[] = [];
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(subject);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    const names: Record<string, string | false> = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) names[k] = typeof v === 'string' ? v : false;
    const spans: ([number, number] | false)[] = [];
    for (let g = 1; g < m.length; g++) {
      const span = m.indices?.[g];
      spans.push(span ? [bytes(span[0]) + 1, bytes(span[1])] : false);
    }
    out.push({ from: bytes(start) + 1, to: bytes(end), all: [...m].map((v) => (typeof v === 'string' ? v : false)), names, spans });
    if ((limit > 0 && out.length >= limit) || !re.global) break;
    // Each match becomes a Lua table: a subject matched everywhere would fill the DP's own heap first.
    if (out.length >= MAX_MATCHES) return `more than ${MAX_MATCHES} matches`;
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}
