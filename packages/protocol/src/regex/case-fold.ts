/**
 * Case-insensitive matching spelled out as character classes, so a pattern
 * never needs the RegExp `i` flag: the linear engine a data plane falls back
 * to on excessive backtracking cannot run `i` (docs/PROXY.md, Regex engine).
 *
 * The folding is ECMAScript's for non-unicode `i` regexes: two UTF-16 code
 * units match when `Canonicalize` gives the same unit (upper case, kept only
 * when it is one code unit and does not map a non-ASCII unit into ASCII).
 * Only "cased" units (those that fold with another) need anything written
 * out; every other unit matches only itself with or without `i`.
 */

const UNITS = 0x10000;

interface Folding {
  /** Each cased unit → every unit it folds with (itself included), ascending. */
  group: Map<number, readonly number[]>;
  /** Every cased unit once, ascending, as a string to scan. */
  cased: string;
}

let folding: Folding | null = null;

/** Built once, on the first case-insensitive pattern (65,536 `toUpperCase` calls). */
function build(): Folding {
  if (folding !== null) return folding;
  const canon = new Uint16Array(UNITS);
  for (let u = 0; u < UNITS; u++) {
    const upper = String.fromCharCode(u).toUpperCase();
    const cu = upper.length === 1 ? upper.charCodeAt(0) : u;
    canon[u] = u >= 128 && cu < 128 ? u : cu;
  }
  const byCanon = new Map<number, number[]>();
  for (let u = 0; u < UNITS; u++) {
    const c = canon[u] ?? u;
    if (c !== u && !byCanon.has(c)) byCanon.set(c, []);
  }
  for (let u = 0; u < UNITS; u++) byCanon.get(canon[u] ?? u)?.push(u);
  const group = new Map<number, readonly number[]>();
  for (const members of byCanon.values()) if (members.length > 1) for (const u of members) group.set(u, members);
  const units = [...group.keys()].sort((a, b) => a - b);
  let cased = '';
  for (let i = 0; i < units.length; i += 4096) cased += String.fromCharCode(...units.slice(i, i + 4096));
  folding = { group, cased };
  return folding;
}

/** `\uXXXX`: a spelling of one code unit that means the same inside or outside a class. */
export function unitEscape(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, '0')}`;
}

/** One code unit as a class of itself and its other cases, or null when it has no other case. */
export function foldUnit(unit: number): string | null {
  const members = build().group.get(unit);
  return members ? `[${members.map(unitEscape).join('')}]` : null;
}

/**
 * The class `[body]` (`[^body]` when `negated`; `body` is its text between
 * the brackets, after any `^`) rewritten to match without the `i` flag what
 * it matched with it: the other cases of its cased members are added. Which
 * units `body` holds is asked of the platform's RegExp (one scan of the cased
 * units), so every escape and range keeps its native meaning.
 */
export function foldClass(body: string, negated: boolean): string {
  const { group, cased } = build();
  const added = new Set<number>();
  for (const m of cased.matchAll(new RegExp(`[${body}]`, 'g'))) for (const u of group.get(m[0].charCodeAt(0)) ?? []) added.add(u);
  const extra = [...added]
    .sort((a, b) => a - b)
    .map(unitEscape)
    .join('');
  // A body starting with '-' would make a range with the last unit written before it.
  const kept = body.startsWith('-') ? `\\${body}` : body;
  return `[${negated ? '^' : ''}${extra}${kept}]`;
}
