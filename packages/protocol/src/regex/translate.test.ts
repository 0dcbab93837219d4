import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { MAX_UNROLLED_REPETITION, regexProblem, translateRegex } from './translate';

/** Which of `sources` V8's linear engine compiles (the `l` flag needs a process started with its flag). */
function linearCompiles(sources: readonly string[]): boolean[] {
  const script = `const s = JSON.parse(require('fs').readFileSync(0, 'utf8')); process.stdout.write(JSON.stringify(s.map((x) => { try { new RegExp(x, 'l'); return true; } catch { return false; } })));`;
  const out = execFileSync(process.execPath, ['--enable-experimental-regexp-engine', '-e', script], { input: JSON.stringify(sources) });
  return JSON.parse(out.toString('utf8')) as boolean[];
}

describe('translateRegex', () => {
  it('refuses what cannot run in linear time, saying why', () => {
    expect(regexProblem('(a)\\1')).toMatch(/backreference.*linear time/);
    expect(regexProblem('(?<n>a)\\k<n>')).toMatch(/named backreference/);
    expect(regexProblem('a(?=b)')).toMatch(/lookahead or lookbehind/);
    expect(regexProblem('a(?!b)')).toMatch(/lookahead or lookbehind/);
    expect(regexProblem('(?<=a)b')).toMatch(/lookahead or lookbehind/);
    expect(regexProblem('(?<!a)b')).toMatch(/lookahead or lookbehind/);
    expect(regexProblem('(ab){17}')).toMatch(/repetition count above 16.*group/);
    expect(regexProblem('(?:a+){15}')).toMatch(/nested repetitions/);
    expect(regexProblem(`a{${MAX_UNROLLED_REPETITION + 1}}`)).toMatch(/repetition count/);
  });

  it('answers "invalid regex" for a syntax error', () => {
    for (const bad of ['/(unclosed', 'a)|(b', '[z-a]', 'x{2}{3}', 'a{3,2}', '*a', '\\']) expect(regexProblem(bad)).toBe('invalid regex');
  });

  it('refuses the lenient legacy escapes, whose meaning depends on the rest of the pattern', () => {
    expect(regexProblem('[\\1]')).toMatch(/octal/);
    expect(regexProblem('\\01')).toMatch(/octal/);
    expect(regexProblem('\\x4')).toMatch(/two hex digits/);
    expect(regexProblem('\\u12')).toMatch(/four hex digits/);
    expect(regexProblem('\\c1')).toMatch(/letter/);
  });

  it('keeps what V8 can run as it is, and takes PCRE named groups and a leading (?i)', () => {
    expect(translateRegex('/redos/(a+)+$')).toBe('/redos/(a+)+$');
    expect(translateRegex('/users/(?<id>\\d+)/[^/]+$')).toBe('/users/(?<id>\\d+)/[^/]+$');
    expect(translateRegex('/u/(?P<id>\\d+)')).toBe('/u/(?<id>\\d+)');
    const ci = new RegExp(`^(?:${translateRegex('(?i)/Case/(?P<id>\\d+)')})$`);
    expect(ci.exec('/cASE/42')?.groups?.id).toBe('42');
    expect(ci.flags).toBe('');
  });

  it('takes inline flags anywhere, from where they stand to the end of their group, or scoped with (?flags:…)', () => {
    const cases: [string, string[], string[]][] = [
      ['/api/(?i)users', ['/api/USERS', '/api/Users'], ['/API/users']],
      ['/(?i:v)1/x', ['/V1/x', '/v1/x'], ['/V1/X']],
      ['/(x(?i)y)z', ['/xYz'], ['/xYZ', '/XYz']],
      ['/(a(?i)b|c)d', ['/aBd', '/Cd'], ['/ABd', '/cD']],
      ['(?i)/a(?-i)b', ['/Ab'], ['/AB']],
      ['/(?s)a.b', ['/a\nb', '/a-b'], []],
      ['/a.b', ['/a-b'], ['/a\nb']],
      ['(?x)/a b  # a comment\n c', ['/abc'], ['/a b c']],
      ['(?x)/a\\ b', ['/a b'], ['/ab']],
      ['(?m)^/a$', ['/a'], ['/ab']],
      ['\\A/a\\z', ['/a'], ['/ab']],
    ];
    for (const [pattern, yes, no] of cases) {
      const re = new RegExp(`^(?:${translateRegex(pattern)})$`);
      expect(re.flags).toBe('');
      for (const s of yes) expect([pattern, s, re.test(s)]).toEqual([pattern, s, true]);
      for (const s of no) expect([pattern, s, re.test(s)]).toEqual([pattern, s, false]);
    }
    // U swaps greedy and lazy.
    expect(new RegExp(translateRegex('(?U)/(a+)')).exec('/aaa')?.[1]).toBe('a');
    expect(new RegExp(translateRegex('(?U)/(a+?)')).exec('/aaa')?.[1]).toBe('aaa');
    // Named groups both ways, numbered as in the source.
    const m = new RegExp(translateRegex('/(?P<a>x)(y)(?<b>z)')).exec('/xyz');
    expect([m?.[1], m?.[2], m?.[3], m?.groups]).toEqual(['x', 'y', 'z', { a: 'x', b: 'z' }]);
  });

  it('refuses inline flags and escapes PCRE and Rust do not share, or that JavaScript would read otherwise', () => {
    expect(regexProblem('/(?J)a')).toMatch(/inline flag 'J'/);
    expect(regexProblem('/(?n)a')).toMatch(/inline flag 'n'/);
    expect(regexProblem('/(?ii)a')).toMatch(/twice/);
    expect(regexProblem('/(?i-i)a')).toMatch(/twice/);
    expect(regexProblem('/(?-)a')).toMatch(/empty inline flag group/);
    expect(regexProblem('(?x)/[a b]')).toMatch(/character class under \(\?x\)/);
    expect(regexProblem('(?x)/[a#]')).toMatch(/character class under \(\?x\)/);
    for (const e of ['p{L}', 'P{L}', 'Q', 'E', 'K', 'G', 'Z', 'h', 'H', 'R', 'X', 'e', 'N', 'C', 'g1', 'o{1}', 'l', 'L', 'U']) {
      expect([e, regexProblem(`/\\${e}`)]).toEqual([e, `unsupported regex: the escape \\${e.charAt(0)}`]);
    }
    expect(regexProblem('/[\\k]')).toMatch(/the escape \\k/);
    expect(regexProblem('/(?P=n)')).toMatch(/named backreference/);
    expect(regexProblem('/(?<a$>x)')).toMatch(/unknown group syntax/);
    expect(regexProblem('/(?<a>x)(?<a>y)')).toBe('invalid regex');
    expect(regexProblem('/(?i)*')).toMatch(/nothing to repeat/);
  });

  it('writes a long count on one character out in runs V8 accepts, matching exactly what the count matched', () => {
    const cases: [string, string[]][] = [
      ['^[0-9a-f]{32}$', ['0'.repeat(32), '0'.repeat(31), '0'.repeat(33), `${'a'.repeat(31)}g`]],
      ['^x\\d{3,40}?y$', ['x12y', 'x123y', `x${'1'.repeat(40)}y`, `x${'1'.repeat(41)}y`]],
      ['^.{20,}$', ['a'.repeat(19), 'a'.repeat(20), 'a'.repeat(200)]],
      ['^(a{20})$', ['a'.repeat(20), 'a'.repeat(21)]],
    ];
    for (const [pattern, inputs] of cases) {
      const native = new RegExp(pattern);
      const translated = new RegExp(translateRegex(pattern));
      for (const s of inputs) expect([pattern, s, translated.exec(s)?.[0]]).toEqual([pattern, s, native.exec(s)?.[0]]);
    }
    expect(regexProblem('^(?:ab){20}$')).toMatch(/group/);
  });

  it('matches case-insensitively without the i flag exactly what the pattern matched with it', () => {
    const alphabet = [
      'a',
      'A',
      'b',
      's',
      'S',
      'ſ',
      'k',
      'K',
      '\u212a',
      'å',
      'Å',
      'ß',
      'ẞ',
      'İ',
      'i',
      'ı',
      'σ',
      'Σ',
      'ς',
      '1',
      '-',
      '_',
      ' ',
      '\u00b5',
      '\u039c',
    ];
    const pieces = [
      'a',
      'S',
      'k',
      'å',
      'σ',
      'i',
      '\\u00c5',
      '\\x4b',
      '[a-z]',
      '[^a-z]',
      '[A-Z0-9_]',
      '[\\w-]',
      '[^\\W]',
      '[ß-ÿ]',
      '[\\u0100-\\u017f]',
      '\\w',
      '\\W',
      '.',
      '[K]',
      '[^s]',
      '(?:a|ſ)',
      '\\d',
    ];
    const pattern = fc
      .array(fc.tuple(fc.constantFrom(...pieces), fc.constantFrom('', '*', '+', '?', '{2}')), { minLength: 1, maxLength: 4 })
      .map((ps) => ps.map(([p, q]) => p + q).join(''));
    const input = fc.array(fc.constantFrom(...alphabet), { maxLength: 8 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(pattern, fc.array(input, { minLength: 1, maxLength: 10 }), (p, inputs) => {
        const native = new RegExp(`^(?:${p})$`, 'i');
        const translated = new RegExp(`^(?:${translateRegex(p, { caseInsensitive: true })})$`);
        for (const s of inputs) expect([p, s, translated.test(s)]).toEqual([p, s, native.test(s)]);
      }),
      { numRuns: 400 },
    );
  });

  it('answers only sources that V8 linear engine compiles, and refuses no repetition that it compiles', () => {
    const atom = fc.constantFrom(
      'a',
      'b',
      '.',
      '\\d',
      '[a-z]',
      '[^/]',
      '(?:ab|c)',
      '(x)',
      '(?<n>y)',
      '(?P<m>z)',
      '\\b',
      '^',
      '$',
      '(a)\\1',
      '(?=a)',
      '(?<=a)',
      '(?i:ab)',
      '(?s:.)',
      '(?U:a+)',
      '\\A',
      '\\z',
    );
    const quant = fc.constantFrom('', '*', '+', '?', '*?', '{2}', '{3,}', '{0,5}', '{16}', '{15,}', '{17}', '{20,30}');
    const leaf = fc.tuple(atom, quant).map(([a, q]) => a + q);
    const tree = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(fc.array(tie('node'), { minLength: 1, maxLength: 3 }), quant).map(([ns, q]) => `(?:${ns.join('')})${q}`),
        fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((ns) => ns.join('|')),
      ),
    })).node;
    const samples = fc.sample(tree, 600);
    for (const ci of [false, true]) {
      const accepted: string[] = [];
      const refused: string[] = [];
      for (const p of samples) {
        const problem = regexProblem(p, { caseInsensitive: ci });
        if (problem === null) accepted.push(translateRegex(p, { caseInsensitive: ci }));
        else if (problem.includes('repetition') && !ci) refused.push(p.replace(/\(\?P</g, '(?<'));
      }
      expect(accepted.length).toBeGreaterThan(50);
      const compiled = linearCompiles(accepted);
      expect(accepted.filter((_, i) => !compiled[i])).toEqual([]);
      // The repetition limits are V8's own: nothing refused for them compiles in its linear engine.
      const refusedCompile = linearCompiles(refused);
      expect(refused.filter((_, i) => refusedCompile[i])).toEqual([]);
    }
  });
});

describe('case folding', () => {
  /** Every UTF-16 code unit once, in order. */
  function everyUnit(): string {
    let s = '';
    for (let u = 0; u < 0x10000; u += 4096) s += String.fromCharCode(...Array.from({ length: 4096 }, (_, k) => u + k));
    return s;
  }

  it('folds every code unit as V8 does with the i flag', () => {
    const all = everyUnit();
    const native = (cls: string): string => [...all.matchAll(new RegExp(cls, 'gi'))].map((m) => m[0]).join('');
    const translated = (src: string): string => [...all.matchAll(new RegExp(translateRegex(src, { caseInsensitive: true }), 'g'))].map((m) => m[0]).join('');
    // Each unit with other cases: a literal, written as \uXXXX, matches exactly what it matched with i.
    const cased = new Set<number>();
    for (let u = 0; u < 0x10000; u++) {
      const c = String.fromCharCode(u);
      if (c.toUpperCase() !== c || c.toLowerCase() !== c) cased.add(u);
    }
    const escape = (u: number): string => `\\u${u.toString(16).padStart(4, '0')}`;
    const mismatched = [...cased].filter((u) => translated(escape(u)) !== native(escape(u)));
    expect(mismatched.map(escape)).toEqual([]);
    // Classes over whole ranges, positive and negated.
    for (const cls of [
      '[\\u0000-\\u7fff]',
      '[^\\u0000-\\u00ff]',
      '[a-zA-Z0-9]',
      '[^a-z]',
      '[\\w-]',
      '[-k]',
      '[\\x41-\\x5a]',
      '[a-\\u00ff]',
      '[\\d-z]',
      '[--a]',
      '[a-b-s]',
      '[\\b\\cA-\\cZ]',
      '[^\\w\\s]',
      '[\\u0130\\u03c2]',
      '[\\-k]',
      '[]',
      '[^]',
      '[.-\\u212a]',
    ])
      expect(translated(cls)).toBe(native(cls));
  });
});
