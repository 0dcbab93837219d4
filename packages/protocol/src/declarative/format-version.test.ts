import { upgradeRoutePath } from './format-version';

describe('route paths of pre-3.0 files', () => {
  it('become regex paths when they hold a character outside Kong’s plain set', () => {
    expect(upgradeRoutePath('/users/\\d+', '2.1')).toBe('~/users/\\d+');
    expect(upgradeRoutePath('/a/(b|c)$', '1.1')).toBe('~/a/(b|c)$');
  });

  it('are normalized when plain, as 3.0 requires (Kong’s migrate_path)', () => {
    expect(upgradeRoutePath('/plain-path_1.0/~x%20y', '2.1')).toBe('/plain-path_1.0/~x y');
    expect(upgradeRoutePath('/a//b/./c/%7Ed', '1.1')).toBe('/a/b/c/~d');
    expect(upgradeRoutePath('/plain', '2.1')).toBe('/plain');
  });

  it('stay as they are when already marked, or in a 3.0 file', () => {
    expect(upgradeRoutePath('~/marked/\\d+', '2.1')).toBe('~/marked/\\d+');
    expect(upgradeRoutePath('/users/\\d+', '3.0')).toBe('/users/\\d+');
  });

  it('turn percent-escapes of regex metacharacters into literal escapes, keep reserved ones encoded', () => {
    expect(upgradeRoutePath('/v%2E1/(a)', '2.1')).toBe('~/v\\.1/(a)');
    expect(upgradeRoutePath('/a%2fb/(c)', '2.1')).toBe('~/a%2Fb/(c)');
    expect(upgradeRoutePath('/%7euser/(x)', '2.1')).toBe('~/~user/(x)');
  });
});
