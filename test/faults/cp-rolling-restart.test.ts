import http from 'node:http';
import { implementExample, runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from '../e2e/support';
import { client, login, request, type Client } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, type TestControlPlane, type TestProcess } from '../support/processes';
import { LbRelay } from './lb-relay';

const RG = '/v1/runtime-groups/default';

/** The DP's first reconnect delay is at most 500 ms (docs/CLUSTER.md); 1001 skips it. A loose bound for a new TLS connection on a busy machine. */
const RECONNECT_BOUND_MS = 3000;

interface LoopCounts {
  calls: number;
  retried: number;
  failed: number;
  failures: string[];
}

/**
 * API calls one after another through the load balancer, alternating a read
 * and a write (a new route); a call that fails (no answer, or 502/503) is
 * retried once, as a client behind a load balancer would. `failed` counts
 * calls whose retry failed too, or answered anything but what the call asks.
 */
function apiLoop(api: Client, serviceId: string): { counts: LoopCounts; routes: string[]; stop(): Promise<void> } {
  const counts: LoopCounts = { calls: 0, retried: 0, failed: 0, failures: [] };
  const routes: string[] = [];
  const state = { running: true };
  const once = async (i: number): Promise<number | string> => {
    try {
      const res =
        i % 2 === 0
          ? await api.get(`${RG}/routes?size=5`)
          : await api.post(`${RG}/routes`, { name: `loop-${i}`, paths: [`/loop-${i}`], service: { id: serviceId } });
      return res.status;
    } catch (err) {
      return `error: ${(err as Error).message}`;
    }
  };
  const done = (async () => {
    for (let i = 0; state.running; i++) {
      counts.calls++;
      const want = i % 2 === 0 ? 200 : 201;
      let got = await once(i);
      if (got !== want) {
        counts.retried++;
        got = await once(i);
      }
      if (got !== want) {
        counts.failed++;
        counts.failures.push(`call ${i}: ${String(got)}`);
      } else if (i % 2 === 1) routes.push(`/loop-${i}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    counts,
    routes,
    async stop() {
      state.running = false;
      await done;
    },
  };
}

/** A POST whose body is sent in two halves, the second on `finish()`: in flight on the CP for as long as the test wants. */
function slowCall(port: number, token: string, body: unknown): { status: Promise<number>; finish(): void } {
  const text = JSON.stringify(body);
  const half = Math.floor(text.length / 2);
  const req = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `${RG}/routes`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
  });
  const status = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });
  req.write(text.slice(0, half));
  return { status, finish: () => req.end(text.slice(half)) };
}

/** The DP's cluster_disconnected → next cluster_connected pairs from its log: close code and time without a connection. */
function outages(dp: TestProcess): { code: number; ms: number }[] {
  const events = dp.lines.flatMap((line) => {
    try {
      const e = JSON.parse(line) as { event?: string; time?: string | number; code?: number };
      return e.event === 'cluster_disconnected' || e.event === 'cluster_connected'
        ? [{ event: e.event, at: new Date(e.time ?? 0).getTime(), code: e.code ?? 0 }]
        : [];
    } catch {
      return [];
    }
  });
  const out: { code: number; ms: number }[] = [];
  events.forEach((e, i) => {
    if (e.event !== 'cluster_disconnected') return;
    const back = events.slice(i + 1).find((n) => n.event === 'cluster_connected');
    out.push({ code: e.code, ms: back ? back.at - e.at : Infinity });
  });
  return out;
}

/**
 * A rolling restart of two CPs behind one address (a TCP load balancer in
 * front of both admin ports and both cluster ports; one database): each CP in
 * turn gets SIGTERM and is started again while a client keeps calling the API
 * and a DP stays connected through the balancer. No API call fails once
 * retried, and the DP is never without a CP for longer than its reconnect
 * backoff (docs/CLUSTER.md, "Rolling restart").
 */
describe('fault: rolling restart of two CPs behind one address', () => {
  let cps: TestControlPlane[] = [];
  let adminLb: LbRelay | undefined;
  let clusterLb: LbRelay | undefined;
  let echo: (TestProcess & { url: string }) | undefined;
  let dp: ScriptedDataPlane | undefined;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('rolling');
    const cp1 = await startControlPlane({ databaseUrl });
    cps = [cp1, await startControlPlane({ databaseUrl })];
    adminLb = await LbRelay.start(cps.map((cp) => ({ host: '127.0.0.1', port: cp.adminPort })));
    clusterLb = await LbRelay.start(cps.map((cp) => ({ host: '127.0.0.1', port: cp.clusterPort })));
    echo = await startEcho();
  });
  afterAll(async () => {
    await dp?.remove();
    await Promise.all([...cps.map((cp) => cp.stop()), echo?.stop()]);
    await adminLb?.close();
    await clusterLb?.close();
  });

  it('fails no API call retried once, and the DP reconnects at once each time its CP goes away', async () => {
    if (adminLb === undefined || clusterLb === undefined || echo === undefined) throw new Error('set-up failed');
    const [admin, cluster] = [adminLb, clusterLb];
    const lbUrl = `http://127.0.0.1:${admin.port}`;
    const api = client(lbUrl, await login(lbUrl));
    const { serviceId } = await implementExample(api, echo.url);
    const script = await api.post(`${RG}/launch-script`, { kind: 'shell' });
    const started = await runLaunchScript(script.text, {
      env: {
        GATEHOUSE_CLUSTER_CONTROL_PLANE: `127.0.0.1:${cluster.port}`,
        GATEHOUSE_CLUSTER_SERVER_NAME: 'localhost',
        GATEHOUSE_STATS_FLUSH_INTERVAL_MS: '500',
      },
    });
    dp = started;
    const proxyUrl = started.proxyUrl;
    await waitFor('the DP to serve the example route', async () => (await request(`${proxyUrl}/mock`)).status === 200, 30_000);

    const loop = apiLoop(api, serviceId);
    const proxyFailures: string[] = [];
    let proxied = 0;
    const proxyState = { running: true };
    const proxyLoop = (async () => {
      while (proxyState.running) {
        const res = await request(`${proxyUrl}/mock`).catch((err: unknown) => ({ status: (err as Error).message }));
        proxied++;
        if (res.status !== 200) proxyFailures.push(String(res.status));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const stopMs: number[] = [];
    await new Promise((r) => setTimeout(r, 1000));
    const slowCalls: number[] = [];
    for (let i = 0; i < cps.length; i++) {
      const cp = cps[i]!;
      // A call in flight when SIGTERM lands (its body still arriving) is finished, not cut.
      const slow = slowCall(cp.adminPort, api.token, { name: `slow-${i}`, paths: [`/slow-${i}`], service: { id: serviceId } });
      await new Promise((r) => setTimeout(r, 200));
      const stopStarted = Date.now();
      const stopped = cp.stop();
      await new Promise((r) => setTimeout(r, 300));
      slow.finish();
      slowCalls.push(await slow.status);
      await stopped;
      stopMs.push(Date.now() - stopStarted);
      expect(cp.lines.some((l) => l.includes('"admin_drained"'))).toBe(true);
      cps[i] = await startControlPlane({ databaseUrl, adminPort: cp.adminPort, clusterPort: cp.clusterPort, dataDir: cp.dataDir });
      // Both CPs serve for a while before the next one goes.
      await new Promise((r) => setTimeout(r, 2000));
    }
    await loop.stop();
    proxyState.running = false;
    await proxyLoop;

    const seen = outages(started);
    console.log(
      JSON.stringify({
        api: loop.counts,
        slow_calls: slowCalls,
        stop_ms: stopMs,
        dp_outages: seen,
        proxied,
        proxy_failures: proxyFailures.length,
        admin_lb: Object.fromEntries(admin.relayed),
        cluster_lb: Object.fromEntries(cluster.relayed),
      }),
    );
    expect(slowCalls).toEqual([201, 201]);
    expect(loop.counts.failures).toEqual([]);
    expect(loop.counts.calls).toBeGreaterThan(50);
    // The DP lost its CP at least once (it was on one of the two), each time told 1001 and back within the bound.
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (const o of seen) {
      expect(o.code).toBe(1001);
      expect(o.ms).toBeLessThan(RECONNECT_BOUND_MS);
    }
    // The DP served throughout, and the config written during the restarts reaches it.
    expect(proxyFailures).toEqual([]);
    const last = loop.routes[loop.routes.length - 1]!;
    await waitFor(`the DP to serve ${last}`, async () => (await request(`${proxyUrl}${last}`)).status === 200, 20_000);
  });
});
