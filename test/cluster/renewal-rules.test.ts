import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { generateKeyPair, x509 } from '../../packages/control-plane/src/certificates/pki';
import { TestDp, type Refusal } from './dp-client';

const RG = '/v1/runtime-groups/default';
const DAY_MS = 86_400_000;

interface Certificate {
  id: string;
  cert: string;
  key: string;
  ca_cert: string;
  not_after: number;
}

/** A CSR for a fresh key, as a DP makes one. */
async function renewalRequest(): Promise<{ csr: string; key: string }> {
  const { keys, privateKeyPem } = await generateKeyPair();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=Gatehouse data plane',
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  return { csr: csr.toString('pem'), key: privateKeyPem };
}

/**
 * The renewal rules (docs/CLUSTER.md, Renewal; docs/SECURITY.md): a DP
 * certificate renews over its connection only in its last 30 days, only
 * once, the new certificate records its parent, and revoking a certificate
 * revokes everything renewed from it — cutting live connections at once.
 */
describe('certificate renewal: window, once, and revocation of descendants', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  const dps: TestDp[] = [];

  async function connect(creds: { cert: string; key: string; ca_cert: string }): Promise<TestDp> {
    const dp = await TestDp.connect(cp.clusterPort, creds);
    dps.push(dp);
    dp.hello();
    await dp.waitFor('snapshot');
    return dp;
  }

  /** Renews over `dp`'s connection; answers the new certificate with the key of its CSR. */
  async function renewOver(dp: TestDp, caCert: string): Promise<{ id: string; cert: string; key: string; ca_cert: string }> {
    const request = await renewalRequest();
    dp.send({ type: 'cert_renew', csr: request.csr });
    const answer = await dp.waitFor('cert_issued');
    const listed = (await api.get(`${RG}/dp-certificates?size=1000`)).body.data as { id: string; cert: string }[];
    const row = listed.find((c) => c.cert === answer.cert);
    expect(row).toBeDefined();
    return { id: row!.id, cert: answer.cert as string, key: request.key, ca_cert: caCert };
  }

  beforeAll(async () => {
    cp = await startLoggedInControlPlane({ databasePrefix: 'renewal_rules' });
    api = cp.api;
  });
  afterAll(async () => {
    for (const dp of dps) dp.close();
    await cp?.stop();
  });

  it('refuses a renewal before the last 30 days, telling the DP when the window opens, and keeps the connection', async () => {
    const fresh: Certificate = (await api.post(`${RG}/dp-certificates`)).body;
    const dp = await connect(fresh);
    dp.send({ type: 'cert_renew', csr: (await renewalRequest()).csr });
    const refusal = await dp.waitFor('error');
    expect(refusal.code).toBe('renewal_refused');
    const opens = new Date(fresh.not_after * 1000 - 30 * DAY_MS).toISOString();
    expect(refusal.message).toBe(`renewal opens 30 days before the certificate expires, at ${opens}`);
    dp.send({ type: 'ping', hash: null });
    await dp.waitFor('pong');
    expect(dp.closed).toBeUndefined();
    const listed = (await api.get(`${RG}/dp-certificates?size=1000`)).body.data as { parent_id: string | null }[];
    expect(listed.filter((c) => c.parent_id === fresh.id)).toEqual([]);
  });

  it('renews a certificate inside the window once: the new one records its parent, a second request (another connection) is refused', async () => {
    const expiring: Certificate = (await api.post(`${RG}/dp-certificates`, { validity_days: 10 })).body;
    const first = await connect(expiring);
    const child = await renewOver(first, expiring.ca_cert);
    expect(new X509Certificate(child.cert).checkPrivateKey(createPrivateKey(child.key))).toBe(true);
    expect((await api.get(`${RG}/dp-certificates/${child.id}`)).body).toMatchObject({ id: child.id, parent_id: expiring.id, revoked: false });

    // The same certificate again, over a new connection (a copy of it elsewhere, or a reconnect): refused.
    const second = await connect(expiring);
    second.send({ type: 'cert_renew', csr: (await renewalRequest()).csr });
    const refusal = await second.waitFor('error');
    expect(refusal).toMatchObject({ code: 'renewal_refused' });
    expect(refusal.message).toContain(`already renewed (certificate ${child.id})`);
    expect(second.closed).toBeUndefined();
    const children = ((await api.get(`${RG}/dp-certificates?size=1000`)).body.data as { parent_id: string | null }[]).filter(
      (c) => c.parent_id === expiring.id,
    );
    expect(children).toHaveLength(1);
  });

  it('revoking a certificate revokes what was renewed from it, transitively: live connections are cut with 4403 and cannot come back', async () => {
    const root: Certificate = (await api.post(`${RG}/dp-certificates`, { validity_days: 10 })).body;
    // root → child (through the API, 10 days, same key) → grandchild (over the connection, a new key).
    const childAnswer = (await api.post(`${RG}/dp-certificates/${root.id}/renew`, { validity_days: 10 })).body;
    const child = { id: childAnswer.id as string, cert: childAnswer.cert as string, key: root.key, ca_cert: root.ca_cert };
    const childDp = await connect(child);
    const grandchild = await renewOver(childDp, root.ca_cert);
    const grandchildDp = await connect(grandchild);
    // An unrelated certificate of the same group stays connected.
    const bystander: Certificate = (await api.post(`${RG}/dp-certificates`)).body;
    const bystanderDp = await connect(bystander);

    expect((await api.delete(`${RG}/dp-certificates/${root.id}`)).status).toBe(204);
    expect((await childDp.waitClosed(5000)).code).toBe(4403);
    expect((await grandchildDp.waitClosed(5000)).code).toBe(4403);
    for (const c of [root, child, grandchild]) {
      expect((await api.get(`${RG}/dp-certificates/${c.id}`)).body).toMatchObject({ revoked: true, revoked_at: expect.any(Number) });
      const refused = await TestDp.connect(cp.clusterPort, c).then(
        (dp) => {
          dp.close();
          return undefined;
        },
        (err: unknown) => err as Refusal,
      );
      expect(refused?.status).toBe(401);
      expect(JSON.parse(refused?.body ?? '{}').message).toMatch(/revoked/);
    }
    bystanderDp.send({ type: 'ping', hash: null });
    await bystanderDp.waitFor('pong');
    expect(bystanderDp.closed).toBeUndefined();
    expect((await api.get(`${RG}/dp-certificates/${bystander.id}`)).body.revoked).toBe(false);
  });
});
