import { stringify } from 'yaml';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { makeCertificate, type CertAndKey } from '../support/tls-material';

/**
 * `certificates:` with nested `snis:`, `ca_certificates:` and services' TLS
 * fields in a Kong file: synced, dumped and synced again with no change,
 * against a real control plane process.
 */
describe('TLS entities in declarative files', () => {
  let cp: LoggedInControlPlane;
  let rsa: CertAndKey;
  let ecdsa: CertAndKey;
  let root: CertAndKey;

  const api = (method: string, path: string, body?: unknown) => cp.api.send(method, `/v1${path}`, body);
  const sync = (file: unknown, q = '') => api('POST', `/runtime-groups/default/config${q}`, file);

  const CERT_ID = '6a4c1e9e-6d0e-4a55-9a0b-5b0f2f6d1c01';
  const CA_ID = '0d3f5a3c-58a8-4e57-8a7e-8c1bd3d52a02';

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    [rsa, ecdsa, root] = await Promise.all([
      makeCertificate({ type: 'rsa', names: ['files.example.test'] }),
      makeCertificate({ type: 'ecdsa', names: ['files.example.test'] }),
      makeCertificate({ ca: true, names: ['Files Root'] }),
    ]);
  });
  afterAll(async () => {
    await cp?.stop();
  });

  const kongFile = (): Record<string, unknown> => ({
    _format_version: '3.0',
    ca_certificates: [{ id: CA_ID, cert: root.cert, tags: ['roots'] }],
    certificates: [
      {
        id: CERT_ID,
        cert: rsa.cert,
        key: rsa.key,
        cert_alt: ecdsa.cert,
        key_alt: ecdsa.key,
        snis: [{ name: 'files.example.test' }, { name: '*.files.example.test', tags: ['wild'] }],
      },
    ],
    services: [
      {
        name: 'secure',
        url: 'https://secure.example.test',
        tls_verify: true,
        tls_verify_depth: 2,
        ca_certificates: [CA_ID],
        client_certificate: CERT_ID,
      },
    ],
  });

  it('syncs certificates with nested SNIs, CA certificates and services’ TLS fields, then the dump syncs back unchanged', async () => {
    const first = await sync(stringify(kongFile()));
    expect(first.status).toBe(200);
    expect(first.body.summary).toEqual({ creates: 5, updates: 0, deletes: 0 });

    const cert = await api('GET', `/runtime-groups/default/certificates/${CERT_ID}`);
    expect(cert.body).toMatchObject({ cert: rsa.cert, cert_alt: ecdsa.cert, snis: ['*.files.example.test', 'files.example.test'], expiry_state: 'valid' });
    expect(cert.text).not.toContain('PRIVATE KEY');
    const [row] = await query<{ key: string }>(cp.databaseUrl, 'SELECT key FROM certificates WHERE id = $1', [CERT_ID]);
    expect(row?.key).toMatch(/^v1\./);
    expect((await api('GET', '/runtime-groups/default/services/secure')).body).toMatchObject({
      tls_verify: true,
      tls_verify_depth: 2,
      ca_certificates: [CA_ID],
      client_certificate: { id: CERT_ID },
    });
    expect((await api('GET', `/runtime-groups/default/ca_certificates/${CA_ID}`)).body.cert_digest).toMatch(/^[0-9a-f]{64}$/);

    // The same file again changes nothing (the CA digest is filled in before the compare, the keys compared opened).
    expect((await sync(stringify(kongFile()), '?dry_run=true')).body.summary).toEqual({ creates: 0, updates: 0, deletes: 0 });

    const dump = await api('GET', '/runtime-groups/default/config');
    expect(dump.status).toBe(200);
    expect(dump.body.certificates).toEqual([
      {
        id: CERT_ID,
        cert: rsa.cert,
        key: rsa.key,
        cert_alt: ecdsa.cert,
        key_alt: ecdsa.key,
        snis: [{ name: '*.files.example.test', tags: ['wild'] }, { name: 'files.example.test' }],
      },
    ]);
    expect(dump.body.ca_certificates).toEqual([{ id: CA_ID, cert: root.cert, cert_digest: expect.stringMatching(/^[0-9a-f]{64}$/), tags: ['roots'] }]);
    expect(dump.body.services[0]).toMatchObject({ client_certificate: CERT_ID, ca_certificates: [CA_ID], tls_verify: true, tls_verify_depth: 2 });
    const again = await sync(dump.body, '?dry_run=true');
    expect([again.status, again.body.summary]).toEqual([200, { creates: 0, updates: 0, deletes: 0 }]);

    // A key change is an update whose values the diff hides.
    const other = await makeCertificate({ type: 'rsa', names: ['files.example.test'] });
    const rotated = kongFile();
    (rotated.certificates as Record<string, unknown>[])[0] = { ...(rotated.certificates as Record<string, unknown>[])[0], cert: other.cert, key: other.key };
    const diff = await sync(rotated, '?dry_run=true');
    // The certificate, and (by its new name) its two SNIs and the service presenting it.
    expect(diff.body.summary).toEqual({ creates: 0, updates: 4, deletes: 0 });
    expect(diff.body.changes[0]).toMatchObject({ action: 'update', kind: 'certificates', changes: { key: { from: '(hidden)', to: '(hidden)' } } });
    expect(diff.body.changes[0].key).toMatch(/^cert:…[A-Za-z0-9+/]{24}$/);
    expect(JSON.stringify(diff.body)).not.toContain('PRIVATE KEY');
    // Applied, the rotation keeps the certificate's id and SNIs; the new key is sealed.
    expect((await sync(rotated)).status).toBe(200);
    expect((await api('GET', `/runtime-groups/default/certificates/${CERT_ID}`)).body).toMatchObject({
      cert: other.cert,
      snis: ['*.files.example.test', 'files.example.test'],
    });
  });

  it('refuses a file whose key does not match, a bad wildcard, a CA that is not one and an unknown CA id, naming each place', async () => {
    const stranger = await makeCertificate({ type: 'rsa' });
    const bad = {
      _format_version: '3.0',
      ca_certificates: [{ cert: rsa.cert }],
      certificates: [{ cert: rsa.cert, key: stranger.key, snis: [{ name: 'a.*.example.test' }] }],
      services: [{ name: 'bad', url: 'https://bad.example.test', ca_certificates: ['11111111-1111-4111-8111-111111111111'] }],
    };
    const first = await sync(bad);
    expect(first.status).toBe(400);
    expect(first.body.fields).toEqual({
      'certificates[0].snis[0].name': 'wildcard must be leftmost or rightmost character',
      'services[0].ca_certificates': 'no ca certificate with id "11111111-1111-4111-8111-111111111111" in this file',
    });
    const pemOnly = { _format_version: '3.0', ca_certificates: [{ cert: rsa.cert }], certificates: [{ cert: rsa.cert, key: stranger.key }] };
    const second = await sync(pemOnly);
    expect(second.status).toBe(400);
    expect(second.body.fields).toEqual({
      'certificates[0].key': 'certificate does not match key',
      'ca_certificates[0].cert': 'certificate does not appear to be a CA because it is missing the "CA" basic constraint',
    });
  });

  it('deletes a certificate with its SNIs when the file drops it', async () => {
    const emptied = await sync({ _format_version: '3.0' });
    expect(emptied.status).toBe(200);
    expect(emptied.body.summary.deletes).toBe(5);
    expect((await api('GET', '/runtime-groups/default/snis')).body.data).toEqual([]);
  });

  it('refuses to delete, under select tags, a CA certificate or certificate a service outside them uses', async () => {
    const team = { _format_version: '3.0', _info: { select_tags: ['tls-team'] } };
    const pki = { ...team, ca_certificates: [{ id: CA_ID, cert: root.cert }], certificates: [{ id: CERT_ID, cert: rsa.cert, key: rsa.key }] };
    expect((await sync(pki)).status).toBe(200);
    const service = await api('POST', '/runtime-groups/default/services', {
      name: 'outsider',
      url: 'https://outsider.example.test',
      ca_certificates: [CA_ID],
      client_certificate: { id: CERT_ID },
    });
    expect(service.status).toBe(201);
    const dropped = await sync(team);
    expect(dropped.status).toBe(409);
    expect(Object.values(dropped.body.fields as Record<string, string>)).toEqual([
      'cannot be deleted: services outside the select tags still use it (outsider)',
      'cannot be deleted: services outside the select tags still use it (outsider)',
    ]);
    expect((await api('DELETE', '/runtime-groups/default/services/outsider')).status).toBe(204);
    expect((await sync(team)).body.summary.deletes).toBe(2);
  });
});
