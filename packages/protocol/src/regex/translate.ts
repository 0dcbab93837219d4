import { foldClass, foldUnit } from './case-fold';

/**
 * The one translator of configured regexes (route paths, header `~*`
 * values, cors origins): the CP's validation and the DP's compilers both go
 * through it, so what the CP accepts is exactly what a DP runs.
 *
 * It takes the syntax Kong's regex paths take (PCRE, which Kong validates
 * with, and Rust's regex crate, which its traditional_compatible router
 * runs) where JavaScript can express it: `(?P<name>…)` and `(?<name>…)`
 * named groups, and the inline flags `i`, `m`, `s`, `x` and `U`, set with
 * `(?flags)` from there to the end of the enclosing group or scoped with
 * `(?flags:…)`, `-` turning them off. It answers a JavaScript source that
 * needs no flags and that V8's linear-time engine can run, so a DP started
 * with the fallback flags (data-plane node-flags.ts) never backtracks
 * without bound. It refuses what that engine cannot run (backreferences,
 * lookarounds, counted repetitions above its limit) and escapes JavaScript
 * would read differently from PCRE and Rust (`\A` and `\z` are written as
 * `^` and `$`, `\a` as the bell character; `\p{…}`, `\Q`, `\K`, `\G`,
 * `\Z`, `\h`… are refused). See docs/PROXY.md, Regex engine.
 *
 * Flags are state of the walk: `i` spells case-insensitivity out as
 * character classes (that engine has no `i` flag), `s` writes `.` as
 * `[\s\S]`, `U` swaps greedy and lazy quantifiers, `x` skips whitespace
 * and `#` comments. `m` changes nothing: the request data these patterns
 * see (paths, header values, origins) holds no line breaks, so `^` and `$`
 * mean the same with or without it.
 */

/** How a pattern is matched. */
export interface RegexOptions {
  /** Match letters in either case from the start (header `~*` values); `(?i)` in the pattern sets it from where it stands. */
  caseInsensitive?: boolean;
}

/** A pattern the gateway will not run: its syntax is wrong, or it cannot run in linear time. */
export class RegexRefusedError extends Error {
  constructor(
    message: string,
    /** True when the pattern is valid but not runnable in linear time (not a syntax error). */
    readonly notLinear: boolean,
  ) {
    super(message);
    this.name = 'RegexRefusedError';
  }
}

/**
 * V8's linear engine replicates the body of a counted repetition; it refuses
 * a count above this, or nested repetitions whose counts multiply above it.
 * An unbounded repetition counts as its minimum plus one.
 */
export const MAX_REPETITION = 16;

/**
 * A counted repetition of one character or class above MAX_REPETITION is
 * written out as a run of repetitions of at most MAX_REPETITION each
 * (`[0-9a-f]{32}` as `[0-9a-f]{16}[0-9a-f]{16}`): each piece consumes
 * exactly one code unit, so the run matches exactly what the count would.
 * Counts above this stay refused.
 */
export const MAX_UNROLLED_REPETITION = 1024;

/** `unit{min,max}` (max Infinity when open) as repetitions of at most MAX_REPETITION each; `lazy` is '?' or ''. */
function unroll(unit: string, min: number, max: number, lazy: string): string {
  let out = '';
  for (let left = min; left > 0; left -= MAX_REPETITION) out += `${unit}{${Math.min(left, MAX_REPETITION)}}`;
  if (max === Infinity) return `${out}${unit}*${lazy}`;
  for (let left = max - min; left > 0; left -= MAX_REPETITION) out += `${unit}{0,${Math.min(left, MAX_REPETITION)}}${lazy}`;
  return out;
}

/** What a parsed piece contributes: its translated text and the largest repetition product inside it. */
interface Piece {
  text: string;
  replication: number;
  /** False for assertions (`^`, `$`, `\b`), which cannot take a quantifier. */
  quantifiable: boolean;
  /** True when it always matches exactly one code unit (a character, a class, `.`, `\d`…). */
  singleUnit?: boolean;
}

const notLinear = (what: string): RegexRefusedError => new RegexRefusedError(`unsupported regex: ${what} cannot run in linear time`, true);
const unsupported = (what: string): RegexRefusedError => new RegexRefusedError(`unsupported regex: ${what}`, false);
const foreignEscape = (letter: string): RegexRefusedError => unsupported(`the escape \\${letter}`);

/** The one-letter escapes that stand for a control character. */
const CONTROL_ESCAPES: Partial<Record<string, number>> = { f: 12, n: 10, r: 13, t: 9, v: 11 };

/** The inline flags taken; all of them both PCRE's and Rust's. */
interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  U: boolean;
}
type FlagName = keyof Flags;
const FLAG_NAMES: readonly string[] = ['i', 'm', 's', 'x', 'U'] satisfies FlagName[];
const isFlagName = (c: string): c is FlagName => FLAG_NAMES.includes(c);
/** `(?flags)` or `(?flags:`, `-` turning flags off: its letters, and how it ends. */
const FLAG_GROUP = /^([A-Za-z]*)(?:-([A-Za-z]*))?([:)])/;
/** Whitespace `x` skips (outside classes). */
const EXTENDED_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

const HEX2 = /^[0-9A-Fa-f]{2}$/;
const HEX4 = /^[0-9A-Fa-f]{4}$/;
const QUANTIFIER = /^\{(\d+)(,(\d*))?\}/;

class Translator {
  private i = 0;
  private flags: Flags;

  constructor(
    private readonly src: string,
    caseInsensitive: boolean,
  ) {
    this.flags = { i: caseInsensitive, m: false, s: false, x: false, U: false };
  }

  run(): string {
    const piece = this.disjunction();
    if (this.i < this.src.length) throw unsupported(`unbalanced ')' at offset ${this.i}`);
    return piece.text;
  }

  private peek(offset = 0): string {
    return this.src.charAt(this.i + offset);
  }

  private disjunction(): Piece {
    const alternatives: Piece[] = [this.alternative()];
    while (this.peek() === '|') {
      this.i++;
      alternatives.push(this.alternative());
    }
    return { text: alternatives.map((a) => a.text).join('|'), replication: Math.max(...alternatives.map((a) => a.replication)), quantifiable: true };
  }

  private alternative(): Piece {
    let text = '';
    let replication = 1;
    for (;;) {
      this.skipExtended();
      if (this.i >= this.src.length || this.peek() === '|' || this.peek() === ')') break;
      const atom = this.atom();
      this.skipExtended();
      const quantified = this.quantifier(atom);
      text += quantified.text;
      replication = Math.max(replication, quantified.replication);
    }
    return { text, replication, quantifiable: true };
  }

  /** Under `x`: skips whitespace and `#` comments (to the end of the line). */
  private skipExtended(): void {
    if (!this.flags.x) return;
    while (this.i < this.src.length) {
      const c = this.peek();
      if (EXTENDED_SPACE.has(c)) {
        this.i++;
      } else if (c === '#') {
        const end = this.src.indexOf('\n', this.i);
        this.i = end < 0 ? this.src.length : end + 1;
      } else {
        return;
      }
    }
  }

  private quantifier(atom: Piece): Piece {
    let min: number;
    let max: number;
    let spelled: string;
    const c = this.peek();
    const counted = c === '{' ? QUANTIFIER.exec(this.src.slice(this.i)) : null;
    if (c === '*' || c === '+' || c === '?') {
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
      spelled = c;
    } else if (counted !== null) {
      const m = counted;
      spelled = m[0];
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else {
      return atom;
    }
    if (!atom.quantifiable) throw unsupported(`nothing to repeat at offset ${this.i}`);
    this.i += spelled.length;
    let lazy = false;
    if (this.peek() === '?') {
      lazy = true;
      this.i++;
    }
    // `U` swaps greedy and lazy.
    if (this.flags.U) lazy = !lazy;
    if (lazy) spelled += '?';
    if (min > max) throw unsupported('a repetition range out of order');
    if (min > MAX_REPETITION || (max !== Infinity && max > MAX_REPETITION)) {
      const largest = max === Infinity ? min : max;
      if (atom.singleUnit === true && largest <= MAX_UNROLLED_REPETITION) {
        return { text: unroll(atom.text, min, max, lazy ? '?' : ''), replication: MAX_REPETITION, quantifiable: true };
      }
      throw notLinear(
        `a repetition count above ${MAX_REPETITION} (${spelled})${atom.singleUnit === true ? ` or above ${MAX_UNROLLED_REPETITION} for one character` : ' on a group'}`,
      );
    }
    const local = max === Infinity ? min + 1 : max;
    const replication = local * atom.replication;
    if (replication > MAX_REPETITION) throw notLinear(`nested repetitions whose counts multiply above ${MAX_REPETITION}`);
    return { text: atom.text + spelled, replication, quantifiable: true };
  }

  private atom(): Piece {
    const c = this.peek();
    this.i++;
    switch (c) {
      case '^':
      case '$':
        return { text: c, replication: 1, quantifiable: false };
      case '.':
        return { text: this.flags.s ? '[\\s\\S]' : c, replication: 1, quantifiable: true, singleUnit: true };
      case '(':
        return this.group();
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw unsupported(`nothing to repeat at offset ${this.i - 1}`);
      default:
        return this.literal(c.charCodeAt(0), c);
    }
  }

  /** One code unit, spelled `text` in the source; folded into a class when case does not matter. */
  private literal(unit: number, text: string): Piece {
    const folded = this.flags.i ? foldUnit(unit) : null;
    return { text: folded ?? text, replication: 1, quantifiable: true, singleUnit: true };
  }

  private group(): Piece {
    let open = '(';
    const outer = this.flags;
    if (this.peek() === '?') {
      const rest = this.src.slice(this.i + 1);
      const flagGroup = FLAG_GROUP.exec(rest);
      if (rest.startsWith(':')) {
        open = '(?:';
        this.i += 2;
      } else if (rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<=') || rest.startsWith('<!')) {
        throw notLinear('a lookahead or lookbehind');
      } else if (rest.startsWith('P=')) {
        throw notLinear('a named backreference ((?P=…))');
      } else if (flagGroup !== null) {
        const flags = this.applyFlags(flagGroup[1] ?? '', flagGroup[2]);
        this.i += 1 + flagGroup[0].length;
        // `(?flags)`: from here to the end of the enclosing group, whose end restores the flags it started with.
        if (flagGroup[3] === ')') {
          this.flags = flags;
          return { text: '', replication: 1, quantifiable: false };
        }
        this.flags = flags;
        open = '(?:';
      } else {
        // PCRE's and Rust's (?P<name>…) is JavaScript's (?<name>…); names as both PCRE and Rust take them.
        const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
        if (named === null) throw unsupported(`unknown group syntax at offset ${this.i - 1}`);
        open = `(?<${named[1] ?? ''}>`;
        this.i += 1 + named[0].length;
      }
    }
    const body = this.disjunction();
    if (this.peek() !== ')') throw unsupported(`unterminated group`);
    this.i++;
    this.flags = outer;
    return { text: `${open}${body.text})`, replication: body.replication, quantifiable: true };
  }

  /** The flags after `(?on-off…`: each letter one of FLAG_NAMES, none twice, at least one. */
  private applyFlags(on: string, off: string | undefined): Flags {
    const next = { ...this.flags };
    const seen = new Set<string>();
    if (on === '' && (off === undefined || off === '')) throw unsupported('an empty inline flag group');
    for (const [letters, value] of [
      [on, true],
      [off ?? '', false],
    ] as const) {
      for (const c of letters) {
        if (!isFlagName(c)) throw unsupported(`inline flag '${c}' (only i, m, s, x and U)`);
        if (seen.has(c)) throw unsupported(`inline flag '${c}' given twice`);
        seen.add(c);
        next[c] = value;
      }
    }
    return next;
  }

  private characterClass(): Piece {
    const negated = this.peek() === '^';
    if (negated) this.i++;
    const start = this.i;
    // The units and ranges the class names (class escapes such as \d hold both cases of every letter already).
    const ranges: [number, number][] = [];
    for (;;) {
      if (this.i >= this.src.length) throw unsupported('unterminated character class');
      if (this.peek() === ']') break;
      // PCRE keeps whitespace and '#' in a class under `x`; Rust skips them: write them escaped.
      if (this.flags.x && (EXTENDED_SPACE.has(this.peek()) || this.peek() === '#'))
        throw unsupported('whitespace or # in a character class under (?x) (escape it)');
      const from = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.i++;
        const to = this.classAtom();
        // With a class escape at either end, '-' is itself a member (legacy syntax); an inverted range is a syntax error, found later.
        if (from !== null && to !== null) ranges.push([from, to]);
        else for (const unit of [from, 45, to]) if (unit !== null) ranges.push([unit, unit]);
      } else if (from !== null) {
        ranges.push([from, from]);
      }
    }
    const body = this.src.slice(start, this.i);
    this.i++;
    const text = this.flags.i ? foldClass(body, negated, ranges) : `[${negated ? '^' : ''}${body}]`;
    return { text, replication: 1, quantifiable: true, singleUnit: true };
  }

  /** One member of a class: its code unit, or null for a class escape (`\d`, `\w`, `\s` and their negations). */
  private classAtom(): number | null {
    const c = this.peek();
    this.i++;
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.peek();
    if (e === '') throw unsupported('a trailing backslash');
    this.i++;
    if (e >= '1' && e <= '9') throw unsupported(`octal escape \\${e} (write \\xHH)`);
    if ('dDwWsS'.includes(e)) return null;
    if (e === 'b') return 8;
    if (e === 'a') return 7;
    const value = CONTROL_ESCAPES[e] ?? this.checkValueEscape(e);
    if (value !== null) return value;
    if (/[A-Za-z]/.test(e)) throw foreignEscape(e);
    return e.charCodeAt(0);
  }

  /** `\0`, `\xHH`, `\uHHHH` and `\cX` must be well formed: their lenient legacy readings are refused. */
  private checkValueEscape(c: string): number | null {
    switch (c) {
      case '0':
        if (this.peek() >= '0' && this.peek() <= '9') throw unsupported('octal escape \\0… (write \\xHH)');
        return 0;
      case 'x': {
        const hex = this.src.slice(this.i, this.i + 2);
        if (!HEX2.test(hex)) throw unsupported('\\x must be followed by two hex digits');
        this.i += 2;
        return parseInt(hex, 16);
      }
      case 'u': {
        const hex = this.src.slice(this.i, this.i + 4);
        if (!HEX4.test(hex)) throw unsupported('\\u must be followed by four hex digits');
        this.i += 4;
        return parseInt(hex, 16);
      }
      case 'c': {
        const letter = this.peek();
        if (!/^[A-Za-z]$/.test(letter)) throw unsupported('\\c must be followed by a letter');
        this.i++;
        return letter.charCodeAt(0) % 32;
      }
      default:
        return null;
    }
  }

  private escape(): Piece {
    const escStart = this.i - 1;
    const c = this.peek();
    if (c === '') throw unsupported('a trailing backslash');
    this.i++;
    if (c === 'b' || c === 'B') return { text: `\\${c}`, replication: 1, quantifiable: false };
    if ('dDwWsS'.includes(c)) return { text: `\\${c}`, replication: 1, quantifiable: true, singleUnit: true };
    if (c >= '1' && c <= '9') throw notLinear(`a backreference (\\${c})`);
    if (c === 'k') throw notLinear('a named backreference (\\k<…>)');
    // PCRE's and Rust's anchors at the very start and end of the subject: JavaScript's ^ and $ without the m flag.
    if (c === 'A') return { text: '^', replication: 1, quantifiable: false };
    if (c === 'z') return { text: '$', replication: 1, quantifiable: false };
    if (c === 'a') return this.literal(7, '\\x07');
    const value = CONTROL_ESCAPES[c] ?? this.checkValueEscape(c);
    if (value !== null) return this.literal(value, this.src.slice(escStart, this.i));
    // JavaScript reads any other letter escape as the letter itself; PCRE and Rust give it a meaning or refuse it.
    if (/[A-Za-z]/.test(c)) throw foreignEscape(c);
    return this.literal(c.charCodeAt(0), this.src.slice(escStart, this.i));
  }
}

function parse(pattern: string, options: RegexOptions): string {
  const translated = new Translator(pattern, options.caseInsensitive === true).run();
  // The platform's own parser has the last word on syntax (e.g. `x{2}{3}`, a range out of order).
  try {
    new RegExp(translated);
  } catch {
    throw new RegexRefusedError('invalid regex', false);
  }
  return translated;
}

/**
 * Translates a configured pattern to a flag-free JavaScript regex source
 * that V8's linear engine can run. Throws RegexRefusedError, whose message
 * names the reason ('invalid regex' for a syntax error).
 */
export function translateRegex(pattern: string, options: RegexOptions = {}): string {
  try {
    return parse(pattern, options);
  } catch (err) {
    if (err instanceof RegexRefusedError) {
      // A pattern that is not even valid JavaScript syntax is reported as invalid, whatever the walk tripped on first.
      if (!err.notLinear) {
        // JavaScript's reading of the pattern with the PCRE-only group syntax taken out (a rough rewrite, used only to choose the message).
        const plain = pattern
          .replace(/\(\?P</g, '(?<')
          .replace(/\(\?[A-Za-z]*(?:-[A-Za-z]*)?\)/g, '')
          .replace(/\(\?[A-Za-z]*(?:-[A-Za-z]*)?:/g, '(?:');
        try {
          new RegExp(plain);
        } catch {
          throw new RegexRefusedError('invalid regex', false);
        }
      }
      throw err;
    }
    throw new RegexRefusedError('invalid regex', false);
  }
}

/** Why the gateway would refuse `pattern` (a message for the field), or null when it can run it. */
export function regexProblem(pattern: string, options: RegexOptions = {}): string | null {
  try {
    translateRegex(pattern, options);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
