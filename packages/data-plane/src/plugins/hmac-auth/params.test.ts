import { parseHmacParams } from './params';
import { parseHttpDate } from './http-date';

describe('hmac-auth credential line', () => {
  it("reads Kong's four quoted fields", () => {
    expect(parseHmacParams('hmac username="bob", algorithm="hmac-sha256", headers="date request-line", signature="c2ln"')).toEqual({
      username: 'bob',
      algorithm: 'hmac-sha256',
      headers: ['date', 'request-line'],
      signature: 'c2ln',
    });
    expect(parseHmacParams('Basic Ym9iOnB3')).toBeNull();
    expect(parseHmacParams('hmac username="bob", signature="x"')).toBeNull();
    expect(parseHmacParams(undefined)).toBeNull();
  });
});

describe('HTTP dates (nginx formats)', () => {
  it('parses RFC 1123, RFC 850 and asctime, GMT', () => {
    const t = Date.UTC(2026, 11, 6, 10, 0, 0) / 1000;
    expect(parseHttpDate('Sun, 06 Dec 2026 10:00:00 GMT')).toBe(t);
    expect(parseHttpDate('Sunday, 06-Dec-26 10:00:00 GMT')).toBe(t);
    expect(parseHttpDate('Sun Dec  6 10:00:00 2026')).toBe(t);
    expect(parseHttpDate('2026-12-06T10:00:00Z')).toBeNull();
    expect(parseHttpDate('Sun, 06 Foo 2026 10:00:00 GMT')).toBeNull();
  });
});
