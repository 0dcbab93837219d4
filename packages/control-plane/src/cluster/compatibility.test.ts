import { incompatibility } from './compatibility';

const plugins = new Set(['key-auth', 'cors']);

describe('incompatibility (as Kong decides it)', () => {
  it('accepts the same version, an older minor and any patch', () => {
    expect(incompatibility('1.4.2', '1.4.2', plugins, [])).toBeNull();
    expect(incompatibility('1.4.2', '1.3.9', plugins, [])).toBeNull();
    expect(incompatibility('1.4.2', '1.4.7', plugins, ['cors'])).toBeNull();
  });

  it('refuses another major, a newer minor, and an unreadable version', () => {
    expect(incompatibility('1.4.2', '2.0.0', plugins, [])).toMatch(/1\.x\.y are accepted/);
    expect(incompatibility('1.4.2', '0.9.0', plugins, [])).toMatch(/incompatible/);
    expect(incompatibility('1.4.2', '1.5.0', plugins, [])).toMatch(/newer/);
    expect(incompatibility('1.4.2', 'banana', plugins, [])).toMatch(/not a version/);
  });

  it('names every plugin the config uses that the DP lacks', () => {
    expect(incompatibility('1.4.2', '1.4.2', plugins, ['cors', 'rate-limiting', 'acl', 'acl'])).toBe(
      'data plane lacks plugins the configuration uses: acl, rate-limiting',
    );
  });
});
