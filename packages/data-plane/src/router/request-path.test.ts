import { absoluteTarget, normalizePath, splitTarget } from './request-path';
import { parseHostHeader } from './host';

describe('request path normalization (before routing, as Kong)', () => {
  it('leaves ordinary paths untouched', () => {
    expect(normalizePath('/mock/a-b_c~d')).toBe('/mock/a-b_c~d');
  });
  it('decodes percent-encoded unreserved characters and upper-cases the rest', () => {
    expect(normalizePath('/%6Dock/%2f%20x')).toBe('/mock/%2F%20x');
  });
  it('resolves dot segments so /a/../b routes as /b', () => {
    expect(normalizePath('/a/../b')).toBe('/b');
    expect(normalizePath('/a/./b/.')).toBe('/a/b/');
    expect(normalizePath('/../../etc')).toBe('/etc');
  });
  it('splits the query string off the target', () => {
    expect(splitTarget('/a?b=1&c')).toEqual({ path: '/a', query: 'b=1&c' });
    expect(splitTarget('/a')).toEqual({ path: '/a', query: null });
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
