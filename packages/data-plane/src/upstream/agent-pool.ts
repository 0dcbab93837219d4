import http from 'node:http';
import https from 'node:https';

/** A keep-alive agent for one upstream; both kinds answer `destroy()`. */
export type UpstreamAgent = http.Agent | https.Agent;

/**
 * Keep-alive agents, one per upstream (scheme, host, port), shared across
 * config versions so a new snapshot does not drop warm connections. LIFO
 * scheduling reuses the most recently used socket, which is the least likely
 * to have been closed by the upstream's idle timeout.
 */
export class AgentPool {
  private readonly agents = new Map<string, UpstreamAgent>();

  get(scheme: 'http' | 'https', host: string, port: number): UpstreamAgent {
    const key = `${scheme}://${host}:${port}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const options: http.AgentOptions = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: Infinity, maxFreeSockets: 512, scheduling: 'lifo' };
      // Kong does not verify upstream certificates unless told to (services have no tls_verify here).
      agent = scheme === 'https' ? new https.Agent({ ...options, rejectUnauthorized: false }) : new http.Agent(options);
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** Closes every pooled connection (shutdown). */
  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
