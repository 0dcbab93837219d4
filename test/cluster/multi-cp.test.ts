import { client, login, type Client } from '../support/api';
import { createTestDatabase, query } from '../support/database';
import { startControlPlane, type TestControlPlane } from '../support/processes';
import { generateKeyPair, x509 } from '../../packages/control-plane/src/certificates/pki';
import { TestDp } from './dp-client';

const RG = '/v1/runtime-groups/default';

describe('two CP processes on one database', () => {
  let cp1: TestControlPlane;
  let cp2: TestControlPlane;
  let api1: Client;
  let databaseUrl: string;
  const dps: TestDp[] = [];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    // Started together on an empty database: they must agree on one cluster CA.
    [cp1, cp2] = await Promise.all([startControlPlane({ databaseUrl }), startControlPlane({ databaseUrl })]);
    api1 = client(cp1.url, await login(cp1.url));
  });
  afterAll(async () => {
    for (const dp of dps) dp.close();
    await Promise.all([cp1?.stop(), cp2?.stop()]);
  });

  it('share one cluster CA, so a DP verifies either of them with the same ca_cert', async () => {
    expect(await query(databaseUrl, 'SELECT id FROM cluster_ca')).toHaveLength(1);
    const cert = (await api1.post(`${RG}/dp-certificates`)).body;
    for (const port of [cp1.clusterPort, cp2.clusterPort]) {
      const dp = await TestDp.connect(port, cert);
      dps.push(dp);
      dp.close();
    }
  });

  it('a change made on one reaches a DP connected to the other, and the other reports it Connected', async () => {
    const cert = (await api1.post(`${RG}/dp-certificates`)).body;
    const dp = await TestDp.connect(cp2.clusterPort, cert);
    dps.push(dp);
    dp.hello();
    const first = await dp.waitFor('snapshot');
    expect((await api1.post(`${RG}/services`, { name: 'from-cp1', url: 'http://one.internal' })).status).toBe(201);
    const pushed = await dp.waitFor('snapshot', (m) => m.config.services.some((s: { name: string }) => s.name === 'from-cp1'), 5000);
    expect(pushed.hash).not.toBe(first.hash);
    dp.send({ type: 'applied', version: pushed.version, hash: pushed.hash });
    dp.send({ type: 'ping', hash: pushed.hash });
    await dp.waitFor('pong');
    const listed = (await api1.get(`${RG}/nodes`)).body.data.find((n: { id: string }) => n.id === dp.nodeId);
    expect(listed).toMatchObject({ sync_status: 'Connected', config_hash: pushed.hash });
    expect((await api1.get(`${RG}/expected-config-hash`)).body.expected_hash).toBe(pushed.hash);

    // Revoked through one CP: the connection held by the other is cut.
    expect((await api1.delete(`${RG}/dp-certificates/${cert.id}`)).status).toBe(204);
    expect((await dp.waitClosed(5000)).code).toBe(4403);
  });

  it('revoking a certificate through one CP cuts, on the other, the connection of a certificate renewed from it', async () => {
    // Ten days left: inside the renewal window. Renewed over a connection to cp1; the renewal connects to cp2.
    const parent = (await api1.post(`${RG}/dp-certificates`, { validity_days: 10 })).body;
    const old = await TestDp.connect(cp1.clusterPort, parent);
    dps.push(old);
    old.hello();
    await old.waitFor('snapshot');
    const { keys, privateKeyPem } = await generateKeyPair();
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=Gatehouse data plane',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    });
    old.send({ type: 'cert_renew', csr: csr.toString('pem') });
    const issued = await old.waitFor('cert_issued');
    const child = await TestDp.connect(cp2.clusterPort, { cert: issued.cert, key: privateKeyPem, ca: parent.ca_cert });
    dps.push(child);
    child.hello();
    await child.waitFor('snapshot');

    expect((await api1.delete(`${RG}/dp-certificates/${parent.id}`)).status).toBe(204);
    expect((await child.waitClosed(5000)).code).toBe(4403);
    expect((await old.waitClosed(5000)).code).toBe(4403);
  });
});
