import { absoluteTarget, escapePath, normalizePath, splitTarget } from './request-path';
import { parseHostHeader } from './host';

describe('request path normalization (before routing, as Kong)', () => {
  it('leaves ordinary paths untouched', () => {
    expect(normalizePath('/mock/a-b_c~d')).toBe('/mock/a-b_c~d');
    expect(normalizePath('/static/app.min.js')).toBe('/static/app.min.js');
    expect(normalizePath('/')).toBe('/');
  });
  it('decodes every escape but those of reserved characters, which are upper-cased', () => {
    expect(normalizePath('/%6Dock/%2f%20x')).toBe('/mock/%2F x');
    expect(normalizePath('/a%3fb%23c%25d%2Fe')).toBe('/a%3Fb%23c%25d%2Fe');
    expect(normalizePath('/caf%C3%A9')).toBe('/caf\u00c3\u00a9');
    expect(normalizePath('/%zz/%4')).toBe('/%zz/%4');
  });
  it('decodes %25 once, never twice', () => {
    expect(normalizePath('/%2541')).toBe('/%2541');
  });
  it('resolves dot segments so /a/../b routes as /b', () => {
    expect(normalizePath('/a/../b')).toBe('/b');
    expect(normalizePath('/a/./b/.')).toBe('/a/b/');
    expect(normalizePath('/../../etc')).toBe('/etc');
    expect(normalizePath('/a/b/..')).toBe('/a/');
    expect(normalizePath('/a/%2e%2E/b')).toBe('/b');
    expect(normalizePath('/.hidden/..a/a..')).toBe('/.hidden/..a/a..');
  });
  it('merges runs of slashes as Kong does', () => {
    expect(normalizePath('/foo//bar')).toBe('/foo/bar');
    expect(normalizePath('//foo///bar//')).toBe('/foo/bar/');
    expect(normalizePath('/foo/.//bar')).toBe('/foo/bar');
    expect(normalizePath('/foo/a/..//bar')).toBe('/foo/bar');
  });
  it("agrees with Kong's normalize (kong/tools/uri.lua, slashes merged) on the paths of its unit spec", () => {
    const cases: [string, string][] = [
      ['/a%2fb%2fc/', '/a%2Fb%2Fc/'],
      ['/f%6f%6f', '/foo'],
      ['/%6B%6f%6e%67', '/kong'],
      ['/%2E', '/'],
      ['/%20%21%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D', '/ %21%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D'],
      ['/./', '/'],
      ['/.', '/'],
      ['/..', '/'],
      ['/../', '/'],
      ['/./.././../', '/'],
      ['//', '/'],
      ['/////', '/'],
      ['/a//b//', '/a/b/'],
      ['/a/b/c/./../../g', '/a/g'],
      ['/endel%C3%B8st', '/endel\u00c3\u00b8st'],
      ['/%C3%A4/a/%2e./a%2E//a/%2e/./a/../a/%2e%2E/%5f%99%af%2f%2F', '/\u00c3\u00a4/a./a/_\u0099\u00af%2F%2F'],
    ];
    for (const [input, want] of cases) expect(normalizePath(input)).toBe(want);
  });
  it('splits the query string off the target', () => {
    expect(splitTarget('/a?b=1&c')).toEqual({ path: '/a', query: 'b=1&c' });
    expect(splitTarget('/a')).toEqual({ path: '/a', query: null });
  });
});

describe("upstream path escaping (Kong's escape)", () => {
  it('leaves safe paths as they are', () => {
    expect(escapePath("/a-b_c.d~e/!$&'()*+,;=:@/%2F")).toBe("/a-b_c.d~e/!$&'()*+,;=:@/%2F");
  });
  it('percent-encodes what normalization decoded, bytes as received', () => {
    expect(escapePath('/mock/%2F x')).toBe('/mock/%2F%20x');
    expect(escapePath('/caf\u00c3\u00a9')).toBe('/caf%C3%A9');
    expect(escapePath('/a"<>\\^`{|}')).toBe('/a%22%3C%3E%5C%5E%60%7B%7C%7D');
  });
  it('round-trips a decoded request path to the escapes a client may have sent', () => {
    expect(escapePath(normalizePath('/x%20y/%7Bz%7d'))).toBe('/x%20y/%7Bz%7D');
  });
});

describe('Host header parsing', () => {
  it('splits host and port, lower-casing the host and defaulting the port by scheme', () => {
    expect(parseHostHeader('Example.COM:8080', 80)).toEqual({ host: 'example.com', port: 8080 });
    expect(parseHostHeader('example.com', 443)).toEqual({ host: 'example.com', port: 443 });
    expect(parseHostHeader('[::1]:9000', 80)).toEqual({ host: '::1', port: 9000 });
    expect(parseHostHeader(undefined, 80)).toEqual({ host: '', port: 80 });
  });
});

describe('absolute-form request targets', () => {
  it('answers the authority and the origin-form of an absolute-form target', () => {
    expect(absoluteTarget('http://Example.com:8080/a/b?c=1')).toEqual({ authority: 'Example.com:8080', originForm: '/a/b?c=1' });
    expect(absoluteTarget('https://user:pw@example.com?x')).toEqual({ authority: 'example.com', originForm: '/?x' });
    expect(absoluteTarget('http://example.com')).toEqual({ authority: 'example.com', originForm: '/' });
  });
  it('leaves origin-form, asterisk-form and anything else alone', () => {
    expect(absoluteTarget('/a?b')).toBeNull();
    expect(absoluteTarget('*')).toBeNull();
    expect(absoluteTarget('example.com/a')).toBeNull();
  });
});
