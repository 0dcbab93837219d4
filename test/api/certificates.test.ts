import { createHash, X509Certificate } from 'node:crypto';
import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { makeCertificate, type CertAndKey } from '../support/tls-material';
import { TEST_SECRET_KEY } from '../support/processes';
import { createDb } from '../../packages/control-plane/src/database/client';
import { buildGroupConfig } from '../../packages/control-plane/src/snapshot/build';
import { useEntityKeySecret } from '../../packages/control-plane/src/certificates/entity-keys';

const RG = '/v1/runtime-groups/default';
const DAY = 86_400;

describe('certificates, SNIs and CA certificates (API and snapshot)', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let databaseUrl: string;
  let rsa: CertAndKey;
  let ecdsa: CertAndKey;
  let ca: CertAndKey;

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api, databaseUrl } = cp);
    [rsa, ecdsa, ca] = await Promise.all([
      makeCertificate({ type: 'rsa', names: ['shop.example.test'] }),
      makeCertificate({ type: 'ecdsa', names: ['shop.example.test'] }),
      makeCertificate({ type: 'ecdsa', names: ['Test Root CA'], ca: true }),
    ]);
  });
  afterAll(async () => {
    await cp?.stop();
  });

  const notAfter = (pem: string): number => Math.floor(new Date(new X509Certificate(pem).validTo).getTime() / 1000);

  it('creates an RSA certificate with an ECDSA alternative and SNIs; never answers a key; shows the expiry', async () => {
    const res = await api.post(`${RG}/certificates`, {
      ...rsa,
      cert_alt: ecdsa.cert,
      key_alt: ecdsa.key,
      snis: ['shop.example.test', '*.shop.example.test'],
      tags: ['edge'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      cert: rsa.cert,
      cert_alt: ecdsa.cert,
      snis: ['*.shop.example.test', 'shop.example.test'],
      tags: ['edge'],
      expires_at: Math.min(notAfter(rsa.cert), notAfter(ecdsa.cert)),
      expiry_state: 'valid',
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
    });
    expect(res.text).not.toContain('PRIVATE KEY');
    const id = res.body.id as string;
    expect((await api.get(`${RG}/certificates/${id}`)).body.snis).toEqual(['*.shop.example.test', 'shop.example.test']);
    const list = await api.get(`${RG}/certificates`);
    expect(list.text).not.toContain('PRIVATE KEY');
    expect(list.body.data.find((c: { id: string }) => c.id === id).snis).toEqual(['*.shop.example.test', 'shop.example.test']);
    const snis = await api.get(`${RG}/certificates/${id}/snis`);
    expect(snis.body.data.map((s: { name: string; certificate: { id: string } }) => [s.name, s.certificate.id]).sort()).toEqual([
      ['*.shop.example.test', id],
      ['shop.example.test', id],
    ]);
    expect((await api.get(`${RG}/snis/shop.example.test`)).body.certificate).toEqual({ id });
    // Kong finds a certificate by one of its SNIs too.
    expect((await api.get(`${RG}/certificates/*.shop.example.test`)).body.id).toBe(id);
    expect((await api.get(`${RG}/certificates/nobody.example.test`)).status).toBe(404);
    const put = await api.put(`${RG}/certificates/put.example.test`, { ...ecdsa, snis: ['other.example.test'] });
    expect([put.status, put.body.snis]).toEqual([201, ['other.example.test', 'put.example.test']]);
    expect((await api.get(`${RG}/certificates/other.example.test`)).body.id).toBe(put.body.id);
    expect((await api.delete(`${RG}/certificates/put.example.test`)).status).toBe(204);
    expect((await api.get(`${RG}/snis/other.example.test`)).status).toBe(404);
  });

  it('marks a certificate expiring within 30 days, and one past its Not After expired', async () => {
    const soon = await makeCertificate({ type: 'ecdsa', expiresInDays: 10 });
    const old = await makeCertificate({ type: 'rsa', expiresInDays: -3 });
    const a = await api.post(`${RG}/certificates`, soon);
    const b = await api.post(`${RG}/certificates`, old);
    expect([a.status, a.body.expiry_state, b.status, b.body.expiry_state]).toEqual([201, 'expiring', 201, 'expired']);
    expect(a.body.expires_at).toBe(notAfter(soon.cert));
    expect(Math.abs(a.body.expires_at - (Date.now() / 1000 + 10 * DAY))).toBeLessThan(120);
  });

  it("refuses a key that does not match, broken PEM and bad alternative pairs with 400 naming the field, in Kong's words", async () => {
    const other = await makeCertificate({ type: 'rsa' });
    const cases: [Record<string, unknown>, string, string | RegExp][] = [
      [{ cert: rsa.cert, key: other.key }, 'key', 'certificate does not match key'],
      [{ cert: rsa.cert, key: ecdsa.key }, 'key', 'certificate does not match key'],
      [{ cert: rsa.cert.replace(/[A-Za-z]{8}\n/, 'AAAAAAAA\n'), key: rsa.key }, 'cert', /^invalid certificate: /],
      [{ cert: rsa.cert, key: '-----BEGIN PRIVATE KEY-----\nbm9wZQ==\n-----END PRIVATE KEY-----\n' }, 'key', /^invalid key: /],
      [{ cert: 'not a certificate', key: rsa.key }, 'cert', /^invalid certificate: /],
      [{ cert: rsa.cert }, 'key', /required|expected string/i],
      [{ ...rsa, cert_alt: ecdsa.cert }, 'key_alt', "all or none of these fields must be set: 'cert_alt', 'key_alt'"],
      [{ ...rsa, cert_alt: ecdsa.cert, key_alt: rsa.key }, 'key_alt', 'alternative certificate does not match key'],
      [
        { ...rsa, cert_alt: other.cert, key_alt: other.key },
        'cert_alt',
        'certificate and alternative certificate need to have different type (e.g. RSA and ECDSA), the provided certificates were both of the same type',
      ],
      [{ ...rsa, snis: ['a.example.test', 'a.example.test'] }, 'snis', 'a.example.test is duplicated'],
    ];
    for (const [body, field, message] of cases) {
      const res = await api.post(`${RG}/certificates`, body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect({ field, message: res.body.fields?.[field] }).toEqual({ field, message: typeof message === 'string' ? message : expect.stringMatching(message) });
    }
  });

  it("checks SNI names by Kong's wildcard rules, keeps them unique in the group (409), and refuses a name another certificate holds", async () => {
    const cert = (await api.post(`${RG}/certificates`, ecdsa)).body.id as string;
    for (const name of ['api.example.test', '*.wild.example.test', 'wild.example.*']) {
      const res = await api.post(`${RG}/snis`, { name, certificate: { id: cert } });
      expect({ name, status: res.status }).toEqual({ name, status: 201 });
    }
    const bad: [string, string][] = [
      ['a.*.example.test', 'wildcard must be leftmost or rightmost character'],
      ['*.example.*', 'only one wildcard must be specified'],
      ['*example.test', 'invalid wildcard: must be placed at leftmost or rightmost label'],
      ['10.0.0.1', 'must not be an IP'],
      ['api.example.test:443', 'must not have a port'],
      ['bad name', 'invalid value: bad name'],
    ];
    for (const [name, message] of bad) {
      const res = await api.post(`${RG}/snis`, { name, certificate: { id: cert } });
      expect({ name, status: res.status, message: res.body.fields?.name }).toEqual({ name, status: 400, message });
    }
    const dup = await api.post(`${RG}/snis`, { name: 'api.example.test', certificate: { id: cert } });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'unique_violation', fields: { name: expect.any(String) } });
    const missing = await api.post(`${RG}/snis`, { name: 'x.example.test', certificate: { id: '00000000-0000-4000-8000-000000000000' } });
    expect([missing.status, Object.keys(missing.body.fields ?? {})]).toEqual([400, ['certificate']]);
    const taken = await api.post(`${RG}/certificates`, { ...rsa, snis: ['api.example.test'] });
    expect(taken.status).toBe(400);
    expect(taken.body.fields).toEqual({ snis: `api.example.test already associated with existing certificate '${cert}'` });
  });

  it('keeps the key and the SNIs on a PATCH, clears SNIs on a PUT without them, and takes its SNIs along on delete', async () => {
    const created = await api.post(`${RG}/certificates`, { ...rsa, snis: ['patch.example.test'] });
    const id = created.body.id as string;
    const patched = await api.patch(`${RG}/certificates/${id}`, { tags: ['renewed'] });
    expect([patched.status, patched.body.tags, patched.body.snis]).toEqual([200, ['renewed'], ['patch.example.test']]);
    const renamed = await api.patch(`${RG}/certificates/${id}`, { snis: ['patch2.example.test'] });
    expect(renamed.body.snis).toEqual(['patch2.example.test']);
    expect((await api.get(`${RG}/snis/patch.example.test`)).status).toBe(404);
    const replaced = await api.put(`${RG}/certificates/${id}`, { ...ecdsa });
    expect([replaced.status, replaced.body.snis, replaced.body.cert]).toEqual([200, [], ecdsa.cert]);
    await api.patch(`${RG}/certificates/${id}`, { snis: ['gone.example.test'] });
    expect((await api.delete(`${RG}/certificates/${id}`)).status).toBe(204);
    expect((await api.get(`${RG}/snis/gone.example.test`)).status).toBe(404);
  });

  it('stores private keys sealed, never as PEM', async () => {
    const res = await api.post(`${RG}/certificates`, { ...rsa, cert_alt: ecdsa.cert, key_alt: ecdsa.key });
    const [row] = await query<{ key: string; key_alt: string }>(databaseUrl, 'SELECT key, key_alt FROM certificates WHERE id = $1', [res.body.id]);
    for (const sealed of [row?.key, row?.key_alt]) {
      expect(sealed).toMatch(/^v1\./);
      expect(sealed).not.toContain('PRIVATE KEY');
      expect(sealed).not.toContain(rsa.key.split('\n')[1]);
      expect(sealed).not.toContain(ecdsa.key.split('\n')[1]);
    }
  });

  it("creates CA certificates with Kong's checks and a computed cert_digest, unique in the group", async () => {
    const res = await api.post(`${RG}/ca_certificates`, { cert: ca.cert, tags: ['roots'] });
    expect(res.status).toBe(201);
    const digest = createHash('sha256').update(new X509Certificate(ca.cert).raw).digest('hex');
    expect(res.body).toMatchObject({ cert: ca.cert, cert_digest: digest, tags: ['roots'], expires_at: notAfter(ca.cert), expiry_state: 'valid' });
    const dup = await api.post(`${RG}/ca_certificates`, { cert: ca.cert });
    expect([dup.status, Object.keys(dup.body.fields ?? {})]).toEqual([409, ['cert_digest']]);
    const expiredCa = await makeCertificate({ ca: true, expiresInDays: -1 });
    const cases: [string, string][] = [
      [rsa.cert, 'certificate does not appear to be a CA because it is missing the "CA" basic constraint'],
      [expiredCa.cert, 'certificate expired, "Not After" time is in the past'],
      [ca.cert + rsa.cert, 'please submit only one certificate at a time'],
    ];
    for (const [cert, message] of cases) {
      const bad = await api.post(`${RG}/ca_certificates`, { cert });
      expect({ message, status: bad.status, got: bad.body.fields?.cert }).toEqual({ message, status: 400, got: message });
    }
  });

  it('stores services’ upstream TLS fields, checks their references, and refuses to delete what a service uses', async () => {
    const client = (await api.post(`${RG}/certificates`, ecdsa)).body.id as string;
    const root = await makeCertificate({ ca: true, names: ['Service Root'] });
    const caId = (await api.post(`${RG}/ca_certificates`, { cert: root.cert })).body.id as string;
    const body = {
      name: 'tls-svc',
      url: 'https://upstream.example.test',
      tls_verify: true,
      tls_verify_depth: 3,
      ca_certificates: [caId],
      client_certificate: { id: client },
    };
    const res = await api.post(`${RG}/services`, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ tls_verify: true, tls_verify_depth: 3, ca_certificates: [caId], client_certificate: { id: client } });
    const plain = await api.post(`${RG}/services`, { name: 'plain-svc', url: 'http://upstream.example.test' });
    expect(plain.body).toMatchObject({ tls_verify: null, tls_verify_depth: null, ca_certificates: [], client_certificate: null });

    const nobody = '00000000-0000-4000-8000-000000000000';
    const cases: [Record<string, unknown>, string, string | RegExp][] = [
      [{ ...body, name: 'x1', client_certificate: { id: nobody } }, 'client_certificate', /no certificate with id/],
      [{ ...body, name: 'x2', ca_certificates: [nobody] }, 'ca_certificates', `no ca certificate with id '${nobody}' in this runtime group`],
      [{ ...body, name: 'x3', tls_verify_depth: 65 }, 'tls_verify_depth', 'value should be between 0 and 64'],
      [{ name: 'x4', url: 'http://a.example.test', tls_verify: true }, 'tls_verify', 'value must be null'],
      [{ name: 'x5', url: 'http://a.example.test', client_certificate: { id: client } }, 'client_certificate', 'value must be null'],
      [{ ...body, name: 'x6', ca_certificates: ['not-a-uuid'] }, 'ca_certificates[0]', /uuid/i],
    ];
    for (const [b, field, message] of cases) {
      const bad = await api.post(`${RG}/services`, b);
      expect({ field, status: bad.status }).toEqual({ field, status: 400 });
      expect({ field, message: bad.body.fields?.[field] }).toEqual({ field, message: typeof message === 'string' ? message : expect.stringMatching(message) });
    }

    const refusedCa = await api.delete(`${RG}/ca_certificates/${caId}`);
    expect([refusedCa.status, refusedCa.body.message]).toEqual([409, `ca certificate ${caId} is still referenced by services (id = ${res.body.id})`]);
    const refusedCert = await api.delete(`${RG}/certificates/${client}`);
    expect([refusedCert.status, refusedCert.body.message]).toMatchObject([
      409,
      expect.stringContaining("an existing 'services' entity references this 'certificates' entity"),
    ]);
    expect((await api.patch(`${RG}/services/tls-svc`, { ca_certificates: [], client_certificate: null })).status).toBe(200);
    expect((await api.delete(`${RG}/ca_certificates/${caId}`)).status).toBe(204);
    expect((await api.delete(`${RG}/certificates/${client}`)).status).toBe(204);
  });

  it('ships certificates with their keys in PEM, SNIs and CA certificates in the snapshot', async () => {
    const cert = await api.post(`${RG}/certificates`, { ...rsa, cert_alt: ecdsa.cert, key_alt: ecdsa.key, snis: ['snap.example.test'] });
    const root = await makeCertificate({ ca: true, names: ['Snapshot Root'] });
    const caCert = await api.post(`${RG}/ca_certificates`, { cert: root.cert });
    await api.post(`${RG}/services`, {
      name: 'snap-svc',
      url: 'https://snap.example.test',
      ca_certificates: [caCert.body.id],
      client_certificate: { id: cert.body.id },
    });
    const [group] = await query<{ id: string }>(databaseUrl, "SELECT id FROM runtime_groups WHERE name = 'default'");
    useEntityKeySecret(TEST_SECRET_KEY);
    const db = createDb(databaseUrl);
    try {
      const built = await buildGroupConfig(db, group?.id ?? '');
      expect(built?.config.certificates.find((c) => c.id === cert.body.id)).toEqual({
        id: cert.body.id,
        cert: rsa.cert,
        key: rsa.key,
        cert_alt: ecdsa.cert,
        key_alt: ecdsa.key,
        tags: [],
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
      });
      expect(built?.config.snis.find((s) => s.name === 'snap.example.test')?.certificate).toEqual({ id: cert.body.id });
      expect(built?.config.ca_certificates.find((c) => c.id === caCert.body.id)).toMatchObject({ cert: root.cert, cert_digest: caCert.body.cert_digest });
      expect(built?.config.services.find((s) => s.name === 'snap-svc')).toMatchObject({
        ca_certificates: [caCert.body.id],
        client_certificate: { id: cert.body.id },
        tls_verify: null,
      });
    } finally {
      await db.$disconnect();
    }
  });
});
