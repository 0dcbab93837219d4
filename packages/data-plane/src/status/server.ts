import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '@gatehouse/protocol/node';
import type { Engine } from '../engine/engine';
import type { MetricsRegistry } from './metrics';
import type { NodeStatus } from './node-status';

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The JSON of `/status`: Kong's `configuration_hash` plus the node's identity and its CP connection. */
export function statusBody(engine: Engine, status: NodeStatus): Record<string, unknown> {
  const current = engine.current();
  return {
    node_id: status.nodeId,
    hostname: status.hostname,
    version: status.version,
    configuration_hash: current?.hash ?? null,
    config_version: current?.version ?? null,
    config_loaded_at: engine.compiled ? new Date(engine.compiled.appliedAt).toISOString() : null,
    control_plane: {
      state: status.controlPlane,
      connected: status.controlPlane === 'connected',
      since: new Date(status.controlPlaneSince).toISOString(),
      last_contact: status.lastContact === null ? null : new Date(status.lastContact).toISOString(),
      last_error: status.lastError,
    },
    uptime_seconds: Math.floor((Date.now() - status.startedAt) / 1000),
  };
}

/**
 * The status server: `GET /status`, `GET /status/ready` (200 only once a
 * config is loaded, as Kong's readiness probe), `GET /metrics` (Prometheus).
 * Anything else is 404; methods other than GET/HEAD are 405.
 */
export function startStatusServer(
  address: ListenAddress,
  engine: Engine,
  status: NodeStatus,
  metrics: MetricsRegistry,
): Promise<{ server: http.Server; port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { message: 'Method not allowed' });
    if (path === '/status') return json(res, 200, statusBody(engine, status));
    if (path === '/status/ready') {
      if (engine.compiled) return json(res, 200, { message: 'ready' });
      return json(res, 503, { message: 'no configuration available' });
    }
    if (path === '/metrics') {
      const text = metrics.render();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      return res.end(text);
    }
    return json(res, 404, { message: 'Not found' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
