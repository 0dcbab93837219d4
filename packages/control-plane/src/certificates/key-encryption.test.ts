import { KeyDecryptionError, openPrivateKey, sealPrivateKey } from './key-encryption';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

describe('CA key encryption at rest', () => {
  it('round-trips with the same secret, as text or bytes, and never stores the plain key', () => {
    const sealed = sealPrivateKey(PEM, 'a-secret-of-enough-length');
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(openPrivateKey(sealed, Buffer.from('a-secret-of-enough-length'))).toBe(PEM);
  });

  it('uses a fresh salt and IV each time', () => {
    expect(sealPrivateKey(PEM, 'a-secret-of-enough-length')).not.toBe(sealPrivateKey(PEM, 'a-secret-of-enough-length'));
  });

  it('refuses a wrong secret or a tampered value with a clear error', () => {
    const sealed = sealPrivateKey(PEM, 'a-secret-of-enough-length');
    expect(() => openPrivateKey(sealed, 'another-secret-entirely')).toThrow(KeyDecryptionError);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => openPrivateKey(parts.join('.'), 'a-secret-of-enough-length')).toThrow(/GATEHOUSE_SECRET_KEY/);
    expect(() => openPrivateKey('garbage', 'a-secret-of-enough-length')).toThrow(KeyDecryptionError);
  });
});
