import { certificateInput, issuesToFields, type Certificate } from '@gatehouse/protocol';
import { certificateBodies, certificateFormFrom } from './certificateForm';

// The schema checks only that each field holds its PEM block; the CP parses them.
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----';
const CERT_ALT = '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----';

const stored = (cert_alt: string | null): Certificate => ({
  id: '7f1c9b44-6c52-4c0e-9a1e-7cba1f2f6c11',
  cert: CERT,
  cert_alt,
  snis: ['a.test'],
  tags: ['edge'],
  expires_at: 2_000_000_000,
  expiry_state: 'valid',
  created_at: 1,
  updated_at: 1,
});

const refused = (body: unknown): Record<string, string> => {
  const r = certificateInput.safeParse(body);
  return r.success ? {} : issuesToFields(r.error.issues);
};

describe('the certificate dialog: what it checks and what it sends', () => {
  it('a new certificate is sent whole; empty fields are left out so the schema names them', () => {
    const { check, send } = certificateBodies({ ...certificateFormFrom(null), cert: CERT, key: KEY, snis: ['a.test'] }, null);
    expect(send).toEqual({ cert: CERT, key: KEY, cert_alt: null, key_alt: null, snis: ['a.test'], tags: [] });
    expect(refused(check)).toEqual({});
    expect(Object.keys(refused(certificateBodies({ ...certificateFormFrom(null), cert: CERT }, null).check))).toEqual(['key']);
  });

  it('an edit fills in everything but the keys, and sends no key unless one is pasted', () => {
    const form = certificateFormFrom(stored(null));
    expect(form).toEqual({ cert: CERT, key: '', cert_alt: '', key_alt: '', snis: ['a.test'], tags: ['edge'] });
    const { check, send } = certificateBodies({ ...form, tags: ['edge', 'b'] }, stored(null));
    expect(send).toEqual({ cert: CERT, snis: ['a.test'], tags: ['edge', 'b'], cert_alt: null, key_alt: null });
    expect(refused(check)).toEqual({});
    expect(certificateBodies({ ...form, key: KEY }, stored(null)).send.key).toBe(KEY);
  });

  it('keeps a stored alternative pair, clears it when its certificate is emptied, and wants a key for a new one', () => {
    const withAlt = certificateFormFrom(stored(CERT_ALT));
    const kept = certificateBodies(withAlt, stored(CERT_ALT));
    expect(kept.send).toMatchObject({ cert_alt: CERT_ALT });
    expect(kept.send).not.toHaveProperty('key_alt');
    expect(refused(kept.check)).toEqual({});

    expect(certificateBodies({ ...withAlt, cert_alt: '  ' }, stored(CERT_ALT)).send).toMatchObject({ cert_alt: null, key_alt: null });

    const added = certificateBodies({ ...certificateFormFrom(stored(null)), cert_alt: CERT_ALT }, stored(null));
    expect(refused(added.check)).toEqual({ key_alt: "all or none of these fields must be set: 'cert_alt', 'key_alt'" });
  });
});
