import http from 'node:http';

/** One request of a steady load: when its answer ended (this process's clock), and its status; or why it failed. */
export type LoadOutcome = { at: number; status: number } | { at: number; error: string };

export interface SteadyLoadOptions {
  /** Requests to send at most. */
  total: number;
  /** Target rate over all clients. */
  perSecond: number;
  /** Clients reusing one keep-alive connection each. */
  keepAliveClients: number;
  /** Clients opening a new connection for every request. */
  newConnectionClients: number;
}

/**
 * A bounded, paced request loop against one URL: request k is sent no
 * earlier than k / perSecond seconds after the start, by whichever client is
 * free, so the rate holds whatever the latency (up to the clients' capacity).
 * Every outcome is kept, so a test can count failures and answered requests
 * to the one.
 */
export class SteadyLoad {
  readonly outcomes: LoadOutcome[] = [];
  private issued = 0;
  private stopped = false;
  private readonly agents: http.Agent[] = [];
  readonly done: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly options: SteadyLoadOptions,
  ) {
    const started = Date.now();
    const clients: Promise<void>[] = [];
    for (let i = 0; i < options.keepAliveClients; i++) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      this.agents.push(agent);
      clients.push(this.client(started, agent));
    }
    for (let i = 0; i < options.newConnectionClients; i++) clients.push(this.client(started, false));
    this.done = Promise.all(clients).then(() => {
      for (const a of this.agents) a.destroy();
    });
  }

  /** Sends nothing more (requests under way still finish). */
  stop(): void {
    this.stopped = true;
  }

  get failures(): { at: number; error: string }[] {
    return this.outcomes.filter((o): o is { at: number; error: string } => 'error' in o);
  }

  /** Requests answered with `status`, optionally only those answered before `before`. */
  answered(status = 200, before = Infinity): number {
    return this.outcomes.filter((o) => 'status' in o && o.status === status && o.at < before).length;
  }

  private async client(started: number, agent: http.Agent | false): Promise<void> {
    for (;;) {
      if (this.stopped || this.issued >= this.options.total) return;
      const k = this.issued++;
      const wait = started + (k * 1000) / this.options.perSecond - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.outcomes.push(await this.once(agent));
    }
  }

  private once(agent: http.Agent | false): Promise<LoadOutcome> {
    return new Promise((resolve) => {
      const req = http.get(this.url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ at: Date.now(), status: res.statusCode ?? 0 }));
        res.on('error', (err) => resolve({ at: Date.now(), error: err.message }));
      });
      req.on('error', (err) => resolve({ at: Date.now(), error: err.message }));
      req.setTimeout(20_000, () => req.destroy(new Error('timed out')));
    });
  }
}
