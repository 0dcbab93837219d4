import { randomUUID } from 'node:crypto';
import type { Client } from '../support/api';
import { startLoggedInControlPlane, type LoggedInControlPlane } from '../support/control-plane';
import { TestDp } from '../cluster/dp-client';

const A = '/v1/runtime-groups/default';
// Lowered for the test: 10,000 requests per second is 600,000 per node-minute.
const MAX_NODE_RPS = 10_000;

/**
 * Stats a DP reports are bounded (docs/SECURITY.md, Stats a DP reports): a
 * batch dated outside the CP's clock window, or claiming more requests for a
 * minute than one node may serve (within the batch or summed with earlier
 * ones), is acknowledged as refused and never counted; the same batch sent
 * again gets the same refusal. A real CP and a DP speaking the cluster
 * protocol over mTLS.
 */
describe('stats a data plane reports are bounded', () => {
  let cp: LoggedInControlPlane;
  let api: Client;
  let dp: TestDp;
  const minute = Math.floor(Date.now() / 60_000) * 60 - 120;

  const bucket = (at: number, count: number) => ({
    minute: at,
    route_id: null,
    service_id: null,
    consumer_id: null,
    status: 200,
    count,
    latency_sum: count,
    latency_max: 1,
    latency_hist: {},
    upstream_latency_sum: 0,
    upstream_latency_max: 0,
    upstream_latency_hist: {},
  });
  const send = async (buckets: unknown[], batchId = randomUUID()): Promise<{ batch_id: string; refused?: string }> => {
    dp.send({ type: 'stats', batch_id: batchId, buckets });
    return dp.waitFor(
      'stats_ack',
      (m: { batch_id: string }) => m.batch_id === batchId && dp.ofType('stats_ack').filter((a: { batch_id: string }) => a.batch_id === batchId).length >= 1,
    );
  };
  const counted = async (): Promise<number> => (await api.get(`${A}/analytics?since=${minute - 3600}`)).body.total;

  beforeAll(async () => {
    cp = await startLoggedInControlPlane({ env: { GATEHOUSE_STATS_MAX_NODE_RPS: String(MAX_NODE_RPS) } });
    api = cp.api;
    const cert = (await api.post(`${A}/dp-certificates`)).body;
    dp = await TestDp.connect(cp.clusterPort, cert);
    dp.hello();
    await dp.waitFor('snapshot');
  });
  afterAll(async () => {
    dp?.close();
    await cp?.stop();
  });

  it('stores a plausible batch', async () => {
    const ack = await send([bucket(minute, 30)]);
    expect(ack.refused).toBeUndefined();
    expect(await counted()).toBe(30);
  });

  it('refuses a bucket dated in 2100 or before the minute retention, and counts none of its batch', async () => {
    const future = await send([bucket(minute, 5), bucket(Math.floor(Date.UTC(2100, 0, 1) / 1000), 1)]);
    expect(future.refused).toMatch(/ahead of the control plane's clock/);
    const ancient = await send([bucket(minute - 30 * 86_400, 1)]);
    expect(ancient.refused).toMatch(/older than the minute retention/);
    expect(await counted()).toBe(30);
  });

  it('refuses 1,000,000 requests in one minute from one node, and the same batch again with the same reason', async () => {
    const batchId = randomUUID();
    const first = await send([bucket(minute, 1_000_000)], batchId);
    expect(first.refused).toMatch(/1000000 requests reported .* more than one node may serve \(600000 a minute/);
    dp.received.length = 0;
    const again = await send([bucket(minute, 1_000_000)], batchId);
    expect(again.refused).toBe(first.refused);
    expect(await counted()).toBe(30);
  });

  it('sums a node-minute across batches: the batch that would pass the cap is refused, the earlier ones stay counted', async () => {
    const next = minute - 60;
    expect((await send([bucket(next, 400_000)])).refused).toBeUndefined();
    expect((await send([bucket(next, 300_000)])).refused).toMatch(/700000 requests reported/);
    expect(await counted()).toBe(30 + 400_000);
  });
});
