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
  /** Every cased unit once, ascending. */
  cased: Uint16Array;
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
  folding = { group, cased: Uint16Array.from(group.keys()).sort() };
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

/** Index of the first element of sorted `units` that is at least `unit`. */
function lowerBound(units: Uint16Array, unit: number): number {
  let lo = 0;
  let hi = units.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((units[mid] ?? 0) < unit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The class `[body]` (`[^body]` when `negated`; `body` is its text between
 * the brackets, after any `^`) rewritten to match without the `i` flag what
 * it matched with it: the other cases of its cased members are added.
 * `ranges` are the units and ranges `body` names (the translator's parse of
 * it; class escapes such as `\w` need nothing added).
 */
export function foldClass(body: string, negated: boolean, ranges: readonly (readonly [number, number])[]): string {
  const key = `${negated ? '^' : ''}${body}`;
  const cached = foldedClasses.get(key);
  if (cached !== undefined) return cached;
  const folded = foldClassUncached(body, negated, ranges);
  // Configs repeat the same few classes; the bound keeps a hostile stream of distinct ones from growing it.
  if (foldedClasses.size >= FOLDED_CLASSES_KEPT) foldedClasses.clear();
  foldedClasses.set(key, folded);
  return folded;
}

const FOLDED_CLASSES_KEPT = 4096;
const foldedClasses = new Map<string, string>();

function foldClassUncached(body: string, negated: boolean, ranges: readonly (readonly [number, number])[]): string {
  const { group, cased } = build();
  const own = mergeRanges(ranges);
  const added = new Set<number>();
  for (const [from, to] of own) {
    for (let k = lowerBound(cased, from); k < cased.length && (cased[k] ?? UNITS) <= to; k++) {
      for (const u of group.get(cased[k] ?? 0) ?? []) if (!covers(own, u)) added.add(u);
    }
  }
  // A body starting with '-' would make a range with the last unit written before it.
  const kept = body.startsWith('-') ? `\\${body}` : body;
  return `[${negated ? '^' : ''}${rangesText([...added].sort((a, b) => a - b))}${kept}]`;
}

/** Sorted, non-overlapping, non-adjacent ranges covering the same units. */
function mergeRanges(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = ranges.filter(([from, to]) => from <= to).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** Whether merged `ranges` hold `unit`. */
function covers(ranges: readonly [number, number][], unit: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const [from, to] = ranges[mid] ?? [0, -1];
    if (unit < from) hi = mid - 1;
    else if (unit > to) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Ascending units as class text, runs of consecutive units as ranges. */
function rangesText(units: readonly number[]): string {
  let out = '';
  for (let i = 0; i < units.length; i++) {
    const first = units[i] ?? 0;
    let last = first;
    while (units[i + 1] === last + 1) last = units[++i] ?? last;
    out += last === first ? unitEscape(first) : `${unitEscape(first)}-${unitEscape(last)}`;
  }
  return out;
}
