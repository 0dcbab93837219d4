import { implementExample, runLaunchScript, startEcho, waitFor, type ScriptedDataPlane } from '../e2e/support';
import { client, login, request, type Answer, type Client } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, type TestControlPlane, type TestProcess } from '../support/processes';

/** How often fault-test DPs send their stats, so counts arrive within a test's patience. */
const FLUSH_MS = '500';

/**
 * A whole installation of real processes for a fault test: a CP on its own
 * database, the echo upstream, the walkthrough's route, and a DP started from
 * the shell launch script. Every proxy request goes through `proxy()`, which
 * counts the answers, so the analytics can be checked to the request.
 */
export class Stack {
  /** Proxy requests that got an HTTP answer: what analytics must end up counting. */
  answered = 0;

  private constructor(
    readonly databaseUrl: string,
    public cp: TestControlPlane,
    readonly echo: TestProcess & { url: string },
    readonly api: Client,
    public dp: ScriptedDataPlane,
  ) {}

  static async start(opts: { databaseUrl?: string; dpEnv?: Record<string, string>; dpDir?: string } = {}): Promise<Stack> {
    const databaseUrl = opts.databaseUrl ?? (await createTestDatabase('faults'));
    const [cp, echo] = await Promise.all([startControlPlane({ databaseUrl }), startEcho()]);
    const api = client(cp.url, await login(cp.url));
    await implementExample(api, echo.url);
    const dp = await Stack.launch(api, opts.dpEnv, opts.dpDir);
    const stack = new Stack(databaseUrl, cp, echo, api, dp);
    await stack.converged();
    return stack;
  }

  /** Runs a fresh launch script (a new certificate each time, as in Runtime Manager). */
  static async launch(
    api: Client,
    env: Record<string, string> = {},
    dpDir?: string,
    ports: { proxyPort?: number; statusPort?: number } = {},
  ): Promise<ScriptedDataPlane> {
    const script = await api.post('/v1/runtime-groups/default/launch-script', { kind: 'shell' });
    if (script.status !== 200) throw new Error(`launch script: ${script.status} ${script.text}`);
    return runLaunchScript(script.text, { dpDir, ...ports, env: { GATEHOUSE_STATS_FLUSH_INTERVAL_MS: FLUSH_MS, ...env } });
  }

  /** One proxy request, counted when answered. */
  async proxy(path: string, init: RequestInit = {}): Promise<Answer> {
    const res = await request(`${this.dp.proxyUrl}${path}`, init);
    this.answered++;
    return res;
  }

  /** Sends `n` GET /mock one after another and answers how many were 200. */
  async traffic(n: number): Promise<number> {
    let ok = 0;
    for (let i = 0; i < n; i++) if ((await this.proxy('/mock')).status === 200) ok++;
    return ok;
  }

  /** Restarts the CP on the same ports, data dir and database (after a kill -9 or a stop). */
  async restartCp(): Promise<void> {
    this.cp = await startControlPlane({
      databaseUrl: this.databaseUrl,
      adminPort: this.cp.adminPort,
      clusterPort: this.cp.clusterPort,
      dataDir: this.cp.dataDir,
    });
    await this.api.relogin();
  }

  /** Waits until the node is Connected and on the group's expected hash; answers that hash. */
  async converged(timeoutMs = 30_000): Promise<string> {
    return waitFor(
      'the node to be Connected on the expected hash',
      async () => {
        const expected = (await this.api.ok('GET', '/v1/runtime-groups/default/expected-config-hash')).expected_hash as string;
        const node = await this.api.node(this.dp.nodeId());
        return node?.sync_status === 'Connected' && node.config_hash === expected ? expected : undefined;
      },
      timeoutMs,
    );
  }

  /** Waits until the group's analytics count exactly the answered requests (never more). */
  async statsComplete(timeoutMs = 30_000): Promise<number> {
    let total = -1;
    await waitFor(
      `analytics to count all ${this.answered} answered requests`,
      async () => {
        total = (await this.api.ok('GET', '/v1/runtime-groups/default/analytics')).total as number;
        if (total > this.answered) throw new Error(`analytics count ${total}, more than the ${this.answered} requests answered`);
        return total === this.answered;
      },
      timeoutMs,
    );
    return total;
  }

  async stop(): Promise<void> {
    await Promise.all([this.dp?.stop(), this.cp?.stop(), this.echo?.stop()]);
  }
}
