import { decodeToken } from './decode';
import { claimErrors } from './claims';
import { cookieValue } from './find-token';

const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('jwt token decoding (Kong jwt_parser)', () => {
  it('splits on the first two dots and decodes header and claims', () => {
    expect(decodeToken(`${part({ alg: 'HS256' })}.${part({ iss: 'k' })}.c2ln`)).toEqual({ header: { alg: 'HS256' }, claims: { iss: 'k' }, alg: 'HS256' });
  });

  it("answers Kong's reasons", () => {
    expect(decodeToken('abc')).toEqual({ error: 'invalid JSON' });
    expect(decodeToken('a.b')).toEqual({ error: 'invalid JSON' });
    expect(decodeToken(`${part({ alg: 'HS256' })}.bm90IGpzb24.x`)).toEqual({ error: 'invalid JSON' });
    expect(decodeToken(`${part({ alg: 'none' })}.${part({})}.x`)).toEqual({ error: 'invalid alg' });
    expect(decodeToken(`${part({ typ: 'JWT' })}.${part({})}.x`)).toEqual({ error: 'invalid alg' });
    expect(decodeToken(`${part({ alg: 'RS256' })}.${part({})}.!!`)).toEqual({ error: 'invalid signature' });
  });
});

describe('registered claims', () => {
  const now = 1_000_000;
  it('checks exp and nbf in the order listed, as Kong words them', () => {
    expect(claimErrors({ exp: now + 1, nbf: now }, ['exp', 'nbf'], 0, now)).toBeNull();
    expect(claimErrors({ exp: now }, ['exp'], 0, now)).toEqual({ exp: 'token expired' });
    expect(claimErrors({ nbf: now + 1 }, ['nbf'], 0, now)).toEqual({ nbf: 'token not valid yet' });
    expect(claimErrors({ exp: '1' }, ['exp', 'nbf'], 0, now)).toEqual({ exp: 'must be a number', nbf: 'must be a number' });
    expect(claimErrors({}, null, 0, now)).toBeNull();
  });

  it('limits the lifetime with maximum_expiration', () => {
    expect(claimErrors({ exp: now + 60 }, ['exp'], 60, now)).toBeNull();
    expect(claimErrors({ exp: now + 61 }, ['exp'], 60, now)).toEqual({ exp: 'exceeds maximum allowed expiration' });
  });
});

describe('cookies', () => {
  it("reads the first cookie of a name, as nginx's $cookie_<name>", () => {
    expect(cookieValue('a=1; jwt=tok; jwt=other', 'jwt')).toBe('tok');
    expect(cookieValue('xjwt=1', 'jwt')).toBeUndefined();
    expect(cookieValue(undefined, 'jwt')).toBeUndefined();
  });
});
