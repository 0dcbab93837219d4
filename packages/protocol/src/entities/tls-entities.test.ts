import { issuesToFields } from '../errors';
import { readDeclarative } from '../declarative/read';
import { stateToFile } from '../declarative/to-file';
import { certificateInput } from './certificate';
import { certificateTag, expiryStateAt, EXPIRING_WITHIN_SECONDS } from './pem';
import { serviceInput } from './service';
import { sniNameProblem } from './sni-name';

/** The browser-safe parts of the TLS entities: SNI names, field pairs, services' TLS fields, expiry states, file shape. */

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBfakeAAAAsignatureTAILabcdefghijklmnopqrstuvwx==\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAfake\n-----END PRIVATE KEY-----\n';

describe('SNI names (Kong wildcard_host)', () => {
  it.each([
    ['example.com', null],
    ['*.example.com', null],
    ['example.*', null],
    ['a.*.example.com', 'wildcard must be leftmost or rightmost character'],
    ['*.example.*', 'only one wildcard must be specified'],
    ['*example.com', 'invalid wildcard: must be placed at leftmost or rightmost label'],
    ['example*', 'invalid wildcard: must be placed at leftmost or rightmost label'],
    ['10.1.2.3', 'must not be an IP'],
    ['[::1]', 'must not be an IP'],
    ['example.com:443', 'must not have a port'],
    ['example.com:99999', 'must not have a port'],
    ['exa mple.com', 'invalid value: exa mple.com'],
  ])('%s → %s', (name, problem) => {
    expect(sniNameProblem(name)).toBe(problem);
  });
});

describe('certificate and service fields', () => {
  const fields = (schema: typeof certificateInput | typeof serviceInput, body: unknown) => {
    const r = schema.safeParse(body);
    return r.success ? {} : issuesToFields(r.error.issues);
  };

  it('wants both halves of the alternative pair and no name twice in snis', () => {
    expect(fields(certificateInput, { cert: CERT, key: KEY, cert_alt: CERT })).toEqual({
      key_alt: "all or none of these fields must be set: 'cert_alt', 'key_alt'",
    });
    expect(fields(certificateInput, { cert: CERT, key: KEY, key_alt: KEY })).toEqual({
      cert_alt: "all or none of these fields must be set: 'cert_alt', 'key_alt'",
    });
    expect(fields(certificateInput, { cert: CERT, key: KEY, snis: ['a.test', 'a.test'] })).toEqual({ snis: 'a.test is duplicated' });
    expect(fields(certificateInput, { cert: 'x', key: 'y' })).toEqual({
      cert: 'invalid certificate: no PEM CERTIFICATE block',
      key: 'invalid key: no PEM PRIVATE KEY block',
    });
    expect(certificateInput.parse({ cert: CERT, key: KEY })).toEqual({ cert: CERT, key: KEY, cert_alt: null, key_alt: null, tags: [], snis: undefined });
  });

  it("takes services' upstream TLS fields on https and tls only (Kong: value must be null)", () => {
    const tls = { tls_verify: true, tls_verify_depth: 1, ca_certificates: ['6a4c1e9e-6d0e-4a55-9a0b-5b0f2f6d1c01'] };
    expect(serviceInput.parse({ url: 'https://a.test', ...tls })).toMatchObject({ ...tls, client_certificate: null });
    expect(serviceInput.parse({ url: 'http://a.test' })).toMatchObject({
      tls_verify: null,
      tls_verify_depth: null,
      ca_certificates: [],
      client_certificate: null,
    });
    expect(fields(serviceInput, { url: 'http://a.test', ...tls })).toEqual({
      tls_verify: 'value must be null',
      tls_verify_depth: 'value must be null',
      ca_certificates: 'value must be null',
    });
    expect(fields(serviceInput, { url: 'https://a.test', tls_verify_depth: 65 })).toEqual({ tls_verify_depth: 'value should be between 0 and 64' });
  });
});

describe('expiry state and certificate tags', () => {
  it('is expiring within 30 days and expired at its Not After', () => {
    expect(expiryStateAt(1000 + EXPIRING_WITHIN_SECONDS + 1, 1000)).toBe('valid');
    expect(expiryStateAt(1000 + EXPIRING_WITHIN_SECONDS, 1000)).toBe('expiring');
    expect(expiryStateAt(1000, 1000)).toBe('expired');
  });

  it('names a certificate by the end of its first block, whatever its line breaks', () => {
    expect(certificateTag(CERT)).toBe('cert:…abcdefghijklmnopqrstuvwx');
    expect(certificateTag(CERT.replace(/\n/g, '\r\n') + CERT.replace('wx', 'zz'))).toBe('cert:…abcdefghijklmnopqrstuvwx');
  });
});

describe('TLS entities in a file', () => {
  it('reads certificates with nested SNIs and writes them back nested, with their ids', () => {
    const id = '6a4c1e9e-6d0e-4a55-9a0b-5b0f2f6d1c01';
    const file = { _format_version: '3.0', certificates: [{ id, cert: CERT, key: KEY, snis: [{ name: 'b.test' }, { name: '*.a.test' }] }] };
    const read = readDeclarative(file);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.state.snis.map((s) => [s.fields.name, s.fields.certificate])).toEqual([
      ['b.test', certificateTag(CERT)],
      ['*.a.test', certificateTag(CERT)],
    ]);
    const dumped = stateToFile(read.state);
    expect(dumped.certificates).toEqual([{ id, cert: CERT, key: KEY, snis: [{ name: '*.a.test' }, { name: 'b.test' }] }]);
  });

  it('reports an id in a service’s ca_certificates that no CA certificate of the file has', () => {
    const read = readDeclarative({
      _format_version: '3.0',
      services: [{ name: 's', url: 'https://s.test', ca_certificates: ['6a4c1e9e-6d0e-4a55-9a0b-5b0f2f6d1c01'] }],
    });
    expect(read.ok ? {} : read.fields).toEqual({
      'services[0].ca_certificates': 'no ca certificate with id "6a4c1e9e-6d0e-4a55-9a0b-5b0f2f6d1c01" in this file',
    });
  });
});
