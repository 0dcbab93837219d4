import { X509Certificate } from 'node:crypto';
import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { query } from '../support/database';
import { createDb, type Db } from '../../packages/control-plane/src/database/client';
import { issueDpCertificate } from '../../packages/control-plane/src/certificates/issue';
import { createAuthority, generateKeyPair, signLeaf, certificateFingerprint, x509 } from '../../packages/control-plane/src/certificates/pki';
import { groupCaSubject } from '../../packages/control-plane/src/certificates/group-ca';
import { TestDp, type Refusal } from './dp-client';

const RG = '/v1/runtime-groups/default';
const SECRET = 'test-secret-key-0123456789abcdef';
const DAY = 86_400;

/** Connecting must fail at the upgrade with this HTTP status, so the WebSocket never opened. */
async function expectRefused(connecting: Promise<TestDp>, status: number, reason: RegExp): Promise<void> {
  const outcome = await connecting.then(
    (dp) => {
      dp.close();
      return undefined;
    },
    (err: unknown) => err as Refusal,
  );
  expect(outcome).toBeDefined();
  expect(outcome?.status).toBe(status);
  expect(JSON.parse(outcome?.body ?? '{}').message).toMatch(reason);
}

describe('cluster listener: who may connect', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let db: Db;
  let groupId: string;
  let databaseUrl: string;
  let issued: { id: string; cert: string; key: string; ca_cert: string; not_after: number };

  beforeAll(async () => {
    cp = await startLoggedInControlPlane();
    ({ api, databaseUrl } = cp);
    db = createDb(databaseUrl);
    groupId = (await api.get(RG)).body.id;
    issued = (await api.post(`${RG}/dp-certificates`)).body;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await cp?.stop();
  });

  it('issues a client certificate signed by the group CA, valid 180 days, with the cluster CA and the key only in that answer', async () => {
    expect(issued).toEqual({
      id: expect.any(String),
      cert: expect.stringContaining('BEGIN CERTIFICATE'),
      key: expect.stringContaining('BEGIN PRIVATE KEY'),
      ca_cert: expect.stringContaining('BEGIN CERTIFICATE'),
      not_after: expect.any(Number),
    });
    expect(Math.abs(issued.not_after - (Date.now() / 1000 + 180 * DAY))).toBeLessThan(3600);
    const cert = new X509Certificate(issued.cert);
    expect(cert.issuer).toContain(groupId);
    const [row] = await query<{ ca_cert_pem: string; ca_key_enc: string }>(databaseUrl, 'SELECT ca_cert_pem, ca_key_enc FROM runtime_groups WHERE id = $1', [
      groupId,
    ]);
    expect(cert.verify(new X509Certificate(row!.ca_cert_pem).publicKey)).toBe(true);
    // The CA key is stored sealed, never as a PEM.
    expect(row!.ca_key_enc).not.toContain('PRIVATE KEY');
    const list = await api.get(`${RG}/dp-certificates`);
    expect(list.status).toBe(200);
    const listed = list.body.data.find((c: { id: string }) => c.id === issued.id);
    expect(listed).toMatchObject({ id: issued.id, cert: issued.cert, not_after: issued.not_after, revoked: false, revoked_at: null });
    expect(listed.key).toBeUndefined();
  });

  it('accepts that certificate: the CP proves itself with the cluster CA and the DP gets a snapshot after hello', async () => {
    const dp = await TestDp.connect(cp.clusterPort, issued);
    try {
      dp.hello();
      const snapshot = await dp.waitFor('snapshot');
      expect(snapshot.hash).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      dp.close();
    }
  });

  it('refuses a client without a certificate with 401 before the WebSocket opens', async () => {
    await expectRefused(TestDp.connect(cp.clusterPort, { ca: issued.ca_cert }), 401, /certificate is required/);
  });

  it('refuses an expired certificate', async () => {
    const expired = await issueDpCertificate(db, groupId, SECRET, { notBefore: new Date(Date.now() - 10 * DAY * 1000), validityDays: 2 });
    await expectRefused(TestDp.connect(cp.clusterPort, expired), 401, /expired/);
  });

  it("refuses another installation's certificate, even one whose CA has the same name and whose fingerprint is planted in the database", async () => {
    const { authority: foreignCa } = await createAuthority(groupCaSubject(groupId), 30);
    const { keys, privateKeyPem } = await generateKeyPair();
    const foreign = await signLeaf(foreignCa, keys.publicKey, 'CN=Gatehouse data plane', 30, { kind: 'client' });
    const creds = { cert: foreign.toString('pem'), key: privateKeyPem, ca: issued.ca_cert };
    await expectRefused(TestDp.connect(cp.clusterPort, creds), 401, /unknown client certificate/);
    await db.dpCertificate.create({
      data: {
        runtimeGroupId: groupId,
        serial: foreign.serialNumber,
        certPem: creds.cert,
        fingerprint: certificateFingerprint(foreign.rawData),
        notBefore: foreign.notBefore,
        notAfter: foreign.notAfter,
      },
    });
    await expectRefused(TestDp.connect(cp.clusterPort, creds), 401, /not signed by its runtime group's CA/);
  });

  it('cuts a live connection when its certificate expires', async () => {
    // Valid for one day, starting one day minus three seconds ago.
    const expiring = await issueDpCertificate(db, groupId, SECRET, { notBefore: new Date(Date.now() - DAY * 1000 + 3000), validityDays: 1 });
    const dp = await TestDp.connect(cp.clusterPort, expiring);
    dp.hello();
    await dp.waitFor('snapshot');
    expect((await dp.waitClosed(6000)).code).toBe(4401);
    await expectRefused(TestDp.connect(cp.clusterPort, expiring), 401, /expired/);
  });

  it('refuses a revoked certificate, and revoking cuts a live connection at once', async () => {
    const mine = (await api.post(`${RG}/dp-certificates`)).body;
    const dp = await TestDp.connect(cp.clusterPort, mine);
    dp.hello();
    await dp.waitFor('snapshot');
    const started = Date.now();
    expect((await api.delete(`${RG}/dp-certificates/${mine.id}`)).status).toBe(204);
    const closed = await dp.waitClosed(5000);
    expect(closed.code).toBe(4403);
    expect(Date.now() - started).toBeLessThan(3000);
    await expectRefused(TestDp.connect(cp.clusterPort, mine), 401, /revoked/);
    const listed = (await api.get(`${RG}/dp-certificates/${mine.id}`)).body;
    expect(listed).toMatchObject({ revoked: true, revoked_at: expect.any(Number) });
    // Revoking again is idempotent; renewing a revoked certificate is a conflict.
    expect((await api.delete(`${RG}/dp-certificates/${mine.id}`)).status).toBe(204);
    expect((await api.post(`${RG}/dp-certificates/${mine.id}/renew`)).status).toBe(409);
  });

  it('renews a certificate for the same key: new id and validity, no key in the answer, and it connects', async () => {
    const renewed = await api.post(`${RG}/dp-certificates/${issued.id}/renew`, { validity_days: 30 });
    expect(renewed.status).toBe(201);
    expect(renewed.body.key).toBeUndefined();
    expect(renewed.body.id).not.toBe(issued.id);
    expect(Math.abs(renewed.body.not_after - (Date.now() / 1000 + 30 * DAY))).toBeLessThan(3600);
    expect(new X509Certificate(renewed.body.cert).publicKey.export({ format: 'pem', type: 'spki' })).toBe(
      new X509Certificate(issued.cert).publicKey.export({ format: 'pem', type: 'spki' }),
    );
    const dp = await TestDp.connect(cp.clusterPort, { cert: renewed.body.cert, key: issued.key, ca: renewed.body.ca_cert });
    dp.close();
    // The new certificate records what it renewed, and a certificate is renewed once.
    expect((await api.get(`${RG}/dp-certificates/${renewed.body.id}`)).body.parent_id).toBe(issued.id);
    expect((await api.get(`${RG}/dp-certificates/${issued.id}`)).body.parent_id).toBeNull();
    const again = await api.post(`${RG}/dp-certificates/${issued.id}/renew`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already renewed/);
  });

  it('renews over the connection: signs a CSR for a key the DP made, once, and the new certificate connects', async () => {
    // Ten days left: inside the renewal window.
    const expiring = (await api.post(`${RG}/dp-certificates`, { validity_days: 10 })).body;
    const dp = await TestDp.connect(cp.clusterPort, expiring);
    try {
      dp.hello();
      await dp.waitFor('snapshot');
      dp.send({ type: 'cert_renew', csr: 'not a csr' });
      expect((await dp.waitFor('error')).code).toBe('invalid_csr');
      const { keys, privateKeyPem } = await generateKeyPair();
      const csr = await x509.Pkcs10CertificateRequestGenerator.create({
        name: 'CN=whatever the DP says',
        keys,
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      });
      dp.send({ type: 'cert_renew', csr: csr.toString('pem') });
      const answer = await dp.waitFor('cert_issued');
      expect(new Date(answer.not_after).getTime()).toBeGreaterThan(Date.now() + 179 * DAY * 1000);
      const renewed = new X509Certificate(answer.cert);
      expect(renewed.issuer).toContain(groupId);
      expect(renewed.subject).not.toContain('whatever');
      dp.send({ type: 'cert_renew', csr: csr.toString('pem') });
      expect((await dp.waitFor('error', (m) => m.code === 'renewal_refused')).message).toMatch(/already renewed/);
      const next = await TestDp.connect(cp.clusterPort, { cert: answer.cert, key: privateKeyPem, ca: issued.ca_cert });
      next.close();
    } finally {
      dp.close();
    }
  });

  it('answers clear 4xx for bad certificate requests', async () => {
    expect((await api.post(`${RG}/dp-certificates`, { validity_days: 0 })).body).toMatchObject({
      code: 'schema_violation',
      fields: { validity_days: expect.any(String) },
    });
    expect((await api.post(`${RG}/dp-certificates`, { bogus: 1 })).status).toBe(400);
    expect((await api.delete(`${RG}/dp-certificates/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await api.post(`${RG}/dp-certificates/not-a-uuid/renew`)).status).toBe(404);
    expect((await api.get('/v1/runtime-groups/nope/dp-certificates')).status).toBe(404);
  });
});
