import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { request } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { tempDir, type TestProcess } from '../support/processes';
import { implementExample, runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from './support';

const DAY = 24 * 3600 * 1000;

/**
 * Automatic renewal with real certificates: the CP writes a 10-day
 * certificate into the launch script (GATEHOUSE_LAUNCH_SCRIPT_CERT_DAYS, a
 * test-only setting), so the DP finds less than 30 days left as soon as it
 * connects, asks for a new certificate over its connection, swaps the files
 * and reconnects with them — while the proxy answers every request. A
 * certificate renews once: a copy of the old one is refused (docs/CLUSTER.md, Renewal).
 */
describe('automatic certificate renewal', () => {
  let cp: LoggedInControlPlane;
  let echo: TestProcess & { url: string };
  let dp: ScriptedDataPlane | undefined;
  let copy: ScriptedDataPlane | undefined;
  /** The first DP's pair before it renewed. */
  let oldPair: { cert: string; key: string } | undefined;

  beforeAll(async () => {
    [cp, echo] = await Promise.all([startLoggedInControlPlane({ databasePrefix: 'e2e_renew', env: { GATEHOUSE_LAUNCH_SCRIPT_CERT_DAYS: '10' } }), startEcho()]);
  });

  afterAll(async () => {
    await Promise.all([dp?.remove(), copy?.remove(), cp?.stop(), echo?.stop()]);
  });

  it('renews a certificate with less than 30 days left and reconnects with it, losing no request', async () => {
    const { api } = cp;
    await implementExample(api, echo.url);
    const script = await api.post('/v1/runtime-groups/default/launch-script', { kind: 'shell' });
    expect(script.status).toBe(200);

    dp = await runLaunchScript(script.text);
    const certFile = path.join(dp.dpDir, 'cluster.crt');
    const keyFile = path.join(dp.dpDir, 'cluster.key');
    const oldCert = new X509Certificate(fs.readFileSync(certFile));
    const oldKey = fs.readFileSync(keyFile, 'utf8');
    expect(new Date(oldCert.validTo).getTime() - Date.now()).toBeLessThan(11 * DAY);

    // Traffic runs through the whole renewal; every answer must come from the upstream.
    await waitFor('the proxy to serve /mock', async () => (await request(`${dp!.proxyUrl}/mock`)).status === 200);
    const statuses: number[] = [];
    let traffic = true;
    const load = (async () => {
      while (traffic)
        statuses.push(
          await request(`${dp.proxyUrl}/mock`).then(
            (r) => r.status,
            () => 0,
          ),
        );
    })();
    let renewed: Record<string, unknown>;
    let reconnected: Record<string, unknown>;
    try {
      renewed = await dp.waitForEvent('cert_renewed', 20_000);
      // The connection made with the renewed certificate: its expiry is the new one.
      reconnected = await dp.waitForEvent('cluster_connected', 20_000, (l) => Date.parse(String(l.cert_not_after)) > Date.now() + 170 * DAY);
      // Keep the traffic going a moment past the reconnect.
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      traffic = false;
      await load;
    }

    const newCert = new X509Certificate(fs.readFileSync(certFile));
    expect(newCert.serialNumber).not.toBe(oldCert.serialNumber);
    expect(new Date(newCert.validTo).getTime()).toBeGreaterThan(Date.now() + 170 * DAY);
    expect(newCert.issuer).toBe(oldCert.issuer);
    expect(renewed.cert_path).toBe(certFile);
    expect(reconnected.cert_not_after).toBe(new Date(newCert.validTo).toISOString());
    expect(fs.readFileSync(keyFile, 'utf8')).not.toBe(oldKey);
    expect(newCert.checkPrivateKey(createPrivateKey(fs.readFileSync(keyFile)))).toBe(true);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);

    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // The nodes API shows the new expiry once the DP is back.
    const nodeId = dp.nodeId();
    await waitFor(
      'the node to show the renewed certificate',
      async () => {
        const node = await api.node(nodeId);
        // Like every time in the API, cert_not_after is in Unix seconds.
        return node?.sync_status === 'Connected' && node.cert_not_after !== null && node.cert_not_after * 1000 > Date.now() + 170 * DAY;
      },
      15_000,
    );
    oldPair = { cert: oldCert.toString(), key: oldKey };
  });

  it('refuses a second renewal of the same certificate: a DP holding a copy of it logs the refusal and keeps serving', async () => {
    // A copy of the pair the first DP had before it renewed (a leaked or restored copy): still valid, already renewed.
    expect(oldPair).toBeDefined();
    const copyDir = tempDir('gatehouse-e2e-copy-');
    fs.writeFileSync(path.join(copyDir, 'copy.crt'), oldPair!.cert);
    fs.writeFileSync(path.join(copyDir, 'copy.key'), oldPair!.key, { mode: 0o600 });
    const script = await cp.api.post('/v1/runtime-groups/default/launch-script', { kind: 'shell' });
    copy = await runLaunchScript(script.text, {
      env: { GATEHOUSE_CLUSTER_CERT: path.join(copyDir, 'copy.crt'), GATEHOUSE_CLUSTER_CERT_KEY: path.join(copyDir, 'copy.key') },
    });

    const failed = await copy.waitForEvent('cert_renewal_failed', 20_000);
    expect(String(failed.error)).toMatch(/refused to renew the certificate \(renewal_refused\): this certificate was already renewed/);
    expect(Date.parse(String(failed.retry_at))).toBeGreaterThan(Date.now() + 30 * 60_000);
    // Still connected with the old certificate, and serving.
    expect(copy.lines.some((l) => l.includes('"event":"cert_renewed"'))).toBe(false);
    expect(fs.readFileSync(path.join(copyDir, 'copy.crt'), 'utf8')).toBe(oldPair!.cert);
    expect((await request(`${copy.proxyUrl}/mock`)).status).toBe(200);
    expect((await request(`${copy.statusUrl}/status`)).body.control_plane.state).toBe('connected');
  });
});
