import { randomUUID } from 'node:crypto';
import { TestDp, sleep } from '../cluster/dp-client';
import { client, login, type Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { seedOrganization } from './tenants';

const B_EMAIL = 'owner@victim-org.test';
const B_PASSWORD = 'victim-org-password';
/** How many takeover attempts the figure in docs/SECURITY.md counts. */
const ATTEMPTS = 40;

interface Certificate {
  id: string;
  cert: string;
  key: string;
  ca_cert: string;
}

/** CP log lines of one event, parsed. */
function events(cp: LoggedInControlPlane, event: string): Record<string, unknown>[] {
  return cp.lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      return parsed.event === event ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

/** A node's row as its own organization sees it, without the times that move with every ping. */
async function nodeRow(api: Client, rg: string, nodeId: string): Promise<Record<string, unknown>> {
  const res = await api.get(`/v1/runtime-groups/${rg}/nodes/${nodeId}`);
  expect(res.status).toBe(200);
  const row = { ...(res.body as Record<string, unknown>) };
  delete row.last_seen;
  delete row.sync_status;
  return row;
}

/**
 * A node id is owned by the runtime group (and so the organization) whose
 * certificate first registered it (docs/CLUSTER.md, Nodes). Knowing a node's
 * id — it is on the DP's unauthenticated /status and in the API — must not let
 * another group's certificate disconnect it or move its row: such a claim is
 * refused with 4403 and logged, and only a connection of the same group, after
 * its hello, replaces an older one (a DP restarting).
 */
describe('node ids: a connection may only take over a node id of its own runtime group', () => {
  let cp: LoggedInControlPlane;
  let apiB: Client;
  let rgA: string;
  let rgA2: string;
  let rgB: string;
  let certA: Certificate;
  let certA2: Certificate;
  let certB: Certificate;
  const dps: TestDp[] = [];

  async function connected(cert: Certificate, nodeId: string): Promise<TestDp> {
    const dp = await TestDp.connect(cp.clusterPort, cert, { nodeId });
    dps.push(dp);
    dp.hello();
    await dp.waitFor('snapshot');
    return dp;
  }

  /** A claim of `nodeId` with `cert`: hello, then the CP's error and close. */
  async function claim(cert: Certificate, nodeId: string): Promise<{ code: string; closed: number }> {
    const dp = await TestDp.connect(cp.clusterPort, cert, { nodeId });
    dps.push(dp);
    dp.hello();
    const error = await dp.waitFor('error');
    const closed = await dp.waitClosed();
    expect(dp.ofType('snapshot')).toHaveLength(0);
    return { code: error.code as string, closed: closed.code };
  }

  beforeAll(async () => {
    cp = await startLoggedInControlPlane({ databasePrefix: 'node_owner' });
    await seedOrganization(cp.databaseUrl, 'Victim org', B_EMAIL, B_PASSWORD);
    apiB = client(cp.url, await login(cp.url, B_EMAIL, B_PASSWORD));
    rgA = (await cp.api.get('/v1/runtime-groups/default')).body.id;
    rgA2 = (await cp.api.post('/v1/runtime-groups', { name: 'second-group' })).body.id;
    rgB = (await apiB.post('/v1/runtime-groups', { name: 'default' })).body.id;
    certA = (await cp.api.post(`/v1/runtime-groups/${rgA}/dp-certificates`, {})).body;
    certA2 = (await cp.api.post(`/v1/runtime-groups/${rgA2}/dp-certificates`, {})).body;
    certB = (await apiB.post(`/v1/runtime-groups/${rgB}/dp-certificates`, {})).body;
  });
  afterAll(async () => {
    for (const dp of dps) dp.close();
    await cp?.stop();
  });

  it(`refuses another organization's certificate claiming a node id with 4403, ${ATTEMPTS} times over, and the victim is never disconnected`, async () => {
    const victimId = randomUUID();
    const victim = await connected(certB, victimId);
    const before = await nodeRow(apiB, rgB, victimId);
    const refusedBefore = events(cp, 'node_id_refused').length;

    const outcomes: { code: string; closed: number }[] = [];
    for (let i = 0; i < ATTEMPTS; i++) {
      // Half the attempts never say hello: an open connection alone must displace nobody either.
      if (i % 2 === 1) {
        const silent = await TestDp.connect(cp.clusterPort, certA, { nodeId: victimId });
        dps.push(silent);
        silent.close();
      }
      outcomes.push(await claim(certA, victimId));
    }
    expect(outcomes).toEqual(Array.from({ length: ATTEMPTS }, () => ({ code: 'node_id_conflict', closed: 4403 })));

    // The victim's connection is the one it had: still open, still answered.
    const kicked = victim.closed === undefined ? 0 : 1;
    expect(kicked).toBe(0);
    victim.send({ type: 'ping', hash: null });
    await victim.waitFor('pong');
    expect(victim.closed).toBeUndefined();
    expect(await nodeRow(apiB, rgB, victimId)).toEqual(before);
    // Every refusal is logged, naming the certificate that tried.
    const refused = events(cp, 'node_id_refused').slice(refusedBefore);
    expect(refused).toHaveLength(ATTEMPTS);
    expect(new Set(refused.map((e) => e.certificate_id))).toEqual(new Set([certA.id]));
    expect(new Set(refused.map((e) => e.node_id))).toEqual(new Set([victimId]));
    // The attacker's organization does not see the node either.
    expect((await cp.api.get(`/v1/runtime-groups/${rgA}/nodes/${victimId}`)).status).toBe(404);
    process.stdout.write(`node id takeover: ${ATTEMPTS} attempts, kicked connections ${kicked}\n`);
  });

  it("refuses a certificate of another group of the same organization, and leaves that group's node row and connection alone", async () => {
    const nodeId = randomUUID();
    const owner = await connected(certA2, nodeId);
    const before = await nodeRow(cp.api, rgA2, nodeId);
    expect(before.id).toBe(nodeId);

    expect(await claim(certA, nodeId)).toEqual({ code: 'node_id_conflict', closed: 4403 });

    expect(owner.closed).toBeUndefined();
    expect(await nodeRow(cp.api, rgA2, nodeId)).toEqual(before);
    expect((await cp.api.get(`/v1/runtime-groups/${rgA}/nodes/${nodeId}`)).status).toBe(404);
  });

  it('refuses a node id registered to another group even while that node is offline; deleting the node frees the id', async () => {
    const nodeId = randomUUID();
    const owner = await connected(certA2, nodeId);
    owner.close();
    await owner.waitClosed();
    expect(await claim(certA, nodeId)).toEqual({ code: 'node_id_conflict', closed: 4403 });
    expect((await cp.api.get(`/v1/runtime-groups/${rgA2}/nodes/${nodeId}`)).body.id).toBe(nodeId);

    expect((await cp.api.delete(`/v1/runtime-groups/${rgA2}/nodes/${nodeId}`)).status).toBe(204);
    await connected(certA, nodeId);
    expect((await cp.api.get(`/v1/runtime-groups/${rgA}/nodes/${nodeId}`)).body.id).toBe(nodeId);
  });

  it('lets the same group reconnect (a DP restart): the new connection replaces the old one only after its hello', async () => {
    const nodeId = randomUUID();
    const old = await connected(certA, nodeId);
    // Another certificate of the same group: a DP restarted with a renewed or re-issued certificate.
    const certA3: Certificate = (await cp.api.post(`/v1/runtime-groups/${rgA}/dp-certificates`, {})).body;
    const restarted = await TestDp.connect(cp.clusterPort, certA3, { nodeId });
    dps.push(restarted);
    // Open but silent: the old connection is untouched.
    await sleep(300);
    old.send({ type: 'ping', hash: null });
    await old.waitFor('pong');
    expect(old.closed).toBeUndefined();

    restarted.hello();
    await restarted.waitFor('snapshot');
    expect((await old.waitClosed()).code).toBe(4409);
    expect(restarted.closed).toBeUndefined();
    expect((await cp.api.get(`/v1/runtime-groups/${rgA}/nodes/${nodeId}`)).body.id).toBe(nodeId);
  });
});
