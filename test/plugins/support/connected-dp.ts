import fs from 'node:fs';
import path from 'node:path';
import { freePort, startNode, tempDir, type TestControlPlane } from '../../support/processes';
import type { TestDataPlane } from './harness';

/** What `POST …/dp-certificates` answers. */
export interface DpCertificate {
  cert: string;
  key: string;
  ca_cert: string;
}

/**
 * Starts a real data plane of the certificate's runtime group, connected to
 * the CP's cluster listener over mTLS, and waits until it is ready; `env`
 * adds to its environment (what `{vault://env/...}` references read).
 */
export async function startConnectedDataPlane(cp: TestControlPlane, creds: DpCertificate, env: Record<string, string> = {}): Promise<TestDataPlane> {
  const dir = tempDir('gatehouse-plugins-cdp-');
  const files = { cert: path.join(dir, 'cluster.crt'), key: path.join(dir, 'cluster.key'), ca: path.join(dir, 'cluster-ca.crt') };
  fs.writeFileSync(files.cert, creds.cert);
  fs.writeFileSync(files.key, creds.key, { mode: 0o600 });
  fs.writeFileSync(files.ca, creds.ca_cert);
  const proxyPort = await freePort();
  const statusPort = await freePort();
  const proc = startNode('packages/data-plane/dist/main.js', {
    GATEHOUSE_DP_DIR: dir,
    GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxyPort}`,
    GATEHOUSE_STATUS_LISTEN: `127.0.0.1:${statusPort}`,
    GATEHOUSE_CLUSTER_CONTROL_PLANE: `localhost:${cp.clusterPort}`,
    GATEHOUSE_CLUSTER_SERVER_NAME: 'localhost',
    GATEHOUSE_CLUSTER_CERT: files.cert,
    GATEHOUSE_CLUSTER_CERT_KEY: files.key,
    GATEHOUSE_CLUSTER_CA: files.ca,
    ...env,
  });
  try {
    await proc.waitForEvent('dp_ready', 20_000);
  } catch (err) {
    await proc.kill();
    throw err;
  }
  return { ...proc, proxy: `http://127.0.0.1:${proxyPort}`, status: `http://127.0.0.1:${statusPort}`, dir };
}
