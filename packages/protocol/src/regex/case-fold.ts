/**
 * Case-insensitive matching spelled out as character classes, so a pattern
 * never needs the RegExp `i` flag: the linear engine a data plane falls back
 * to on excessive backtracking cannot run `i` (docs/PROXY.md, Regex engine).
 *
 * Which code units fold together is asked of the platform's own `i`
 * matching: a class is run with the `gi` flags over a string holding every
 * UTF-16 code unit once, and the runs it matches are the class to write. So
 * the translation means exactly what the same pattern meant with `i`.
 */

const UNITS = 0x10000;

let everyUnit: string | null = null;

/** Every UTF-16 code unit, in order, once (built on the first case-insensitive pattern). */
function allUnits(): string {
  if (everyUnit === null) {
    const units = new Uint16Array(UNITS);
    for (let u = 0; u < UNITS; u++) units[u] = u;
    let s = '';
    for (let start = 0; start < UNITS; start += 4096) s += String.fromCharCode(...units.subarray(start, start + 4096));
    everyUnit = s;
  }
  return everyUnit;
}

/** `\uXXXX`: a spelling of one code unit that means the same inside or outside a class. */
export function unitEscape(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, '0')}`;
}

const folded = new Map<string, string>();

/**
 * `[body]` (its text without the brackets; `^body` for a negated class)
 * rewritten as a class that matches without the `i` flag what `[body]`
 * matches with it. `[]` (the class of nothing) when it matches nothing.
 * Results are cached by text.
 */
export function foldClass(body: string): string {
  const cached = folded.get(body);
  if (cached !== undefined) return cached;
  let out = '';
  for (const m of allUnits().matchAll(new RegExp(`[${body}]+`, 'gi'))) {
    const first = m.index;
    const last = first + m[0].length - 1;
    out += first === last ? unitEscape(first) : `${unitEscape(first)}-${unitEscape(last)}`;
  }
  const result = `[${out}]`;
  folded.set(body, result);
  return result;
}

/** One code unit as a class of itself and its other cases, or null when it has no other case. */
export function foldUnit(unit: number): string | null {
  const cls = foldClass(unitEscape(unit));
  return cls === `[${unitEscape(unit)}]` ? null : cls;
}
