import { readDeclarativeText } from '../declarative';
import { routeInput } from '../entities/route';
import { issuesToFields } from '../errors';
import { normalizeTextPath, pathBytes, pathText } from './normalize';
import { routePathProblem } from './route-path';

const suggests = (normalized: string): string => `non-normalized path, consider use '${normalized}' instead`;

describe('normalizeTextPath (a route path, normalized as its UTF-8 bytes)', () => {
  it('decodes multi-byte escapes to the text they spell', () => {
    expect(normalizeTextPath('/%c3%A4')).toBe('/ä');
    expect(normalizeTextPath('/endel%C3%B8st')).toBe('/endeløst');
    expect(normalizeTextPath('/ä/./b')).toBe('/ä/b');
  });
  it('round-trips text through bytes, and shows bytes that are not UTF-8 as U+FFFD', () => {
    expect(pathBytes('/ä')).toBe('/\u00c3\u00a4');
    expect(pathText(pathBytes('/日本/ä'))).toBe('/日本/ä');
    expect(pathText('/a\u00ff')).toBe('/a\ufffd');
  });
});

describe("route paths: Kong's router_path rules (routePathProblem)", () => {
  it.each([
    ['/a%20b', '/a b'],
    ['/%20', '/ '],
    ['/%c3%A4', '/ä'],
    ['/%7E', '/~'],
    ['/%7euser', '/~user'],
    ['/f%6f%6f', '/foo'],
    ['/foo/./bar', '/foo/bar'],
    ['/foo/a/../bar', '/foo/bar'],
    ['/foo/.', '/foo/'],
    ['/..', '/'],
    ['/a/%2e%2E/b', '/b'],
    ['/a%2fb', '/a%2Fb'],
    ['/a%3fb', '/a%3Fb'],
    ['/a%FF', '/a\ufffd'],
  ])('refuses the prefix %s, suggesting %s', (path, normalized) => {
    expect(routePathProblem(path)).toBe(suggests(normalized));
  });

  it.each(['/', '/foo', '/ovo/', '/abcd~user~2', '/a%2Fb', '/a%3Fb%23c%25d', '/%25', '/ä', '/a b', '/.hidden/..a/a..', '/...'])(
    'accepts the normalized prefix %s',
    (path) => {
      expect(routePathProblem(path)).toBeNull();
    },
  );

  it('refuses empty segments anywhere, regex paths included, before any other rule', () => {
    for (const path of ['/foo//bar', '/foo/bar//', '//foo/bar', '~/foo//bar', 'foo//bar']) {
      expect(routePathProblem(path)).toBe('must not have empty segments');
    }
  });

  it('refuses an empty path and one not starting with / or ~/', () => {
    expect(routePathProblem('')).toBe('length must be at least 1');
    expect(routePathProblem('foo')).toBe('should start with: / (fixed path) or ~/ (regex path)');
    expect(routePathProblem('~foo')).toBe('should start with: / (fixed path) or ~/ (regex path)');
    expect(routePathProblem(`/${'a'.repeat(1024)}`)).toBe('length must be at most 1024');
  });

  it("refuses badly written escapes with Kong's words, naming the escape", () => {
    const cases: [string, string][] = [
      ['/some%2words', '%2w'],
      ['/some%0Xwords', '%0X'],
      ['/some%2Gwords', '%2G'],
      ['/some%20words%', '%'],
      ['/some%20words%a', '%a'],
      ['/some%20words%ax', '%ax'],
    ];
    for (const [path, escape] of cases) expect(routePathProblem(path)).toBe(`invalid url-encoded value: '${escape}'`);
  });

  it('checks escapes only in paths of RFC 3986 characters, as Kong (other paths go to the normalization check)', () => {
    expect(routePathProblem('/a b%zz')).toBeNull();
    expect(routePathProblem('/a b%7E')).toBe(suggests('/a b~'));
  });

  it('leaves regex paths to the regex translator: neither escapes nor dot segments are checked', () => {
    expect(routePathProblem('~/a%zz/./b')).toBeNull();
    expect(routePathProblem('~/users/(foo/profile')).toBe('invalid regex');
  });
});

describe('routeInput names the refused entry', () => {
  it('answers paths[N] for a non-normalized prefix among good ones', () => {
    const parsed = routeInput.safeParse({ paths: ['/ok', '~/re/(?P<id>\\d+)', '/foo//bar', '/a%20b'] });
    expect(parsed.success).toBe(false);
    expect(issuesToFields(parsed.error?.issues ?? [])).toEqual({
      'paths[2]': 'must not have empty segments',
      'paths[3]': suggests('/a b'),
    });
  });
  it('keeps a normalized path as written', () => {
    expect(routeInput.parse({ paths: ['/a b', '/ä', '/x%2F'] }).paths).toEqual(['/a b', '/ä', '/x%2F']);
  });
});

describe('declarative files (what `gatehouse validate` and sync read)', () => {
  it('name the refused entry of a 3.0 file', () => {
    const result = readDeclarativeText('_format_version: "3.0"\nroutes:\n  - name: r\n    paths: [/ok, /a/../b]\n');
    expect(result.ok ? {} : result.fields).toEqual({ 'routes[0].paths[1]': suggests('/b') });
  });
});
