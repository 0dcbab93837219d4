import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Healthchecks } from '@gatehouse/protocol';
import type { BalancerEntry } from '../balancer/types';
import type { HealthEvent } from './counters';

type Active = Healthchecks['active'];

/**
 * One active probe of a target, as lua-resty-healthcheck does it: `tcp`
 * connects; `http`/`https` send `GET http_path` with `headers` (Host: the
 * target) and judge the status: in `healthy.http_statuses` a success, in
 * `unhealthy.http_statuses` an HTTP failure, anything else nothing (null).
 * The Host is the upstream's `host_header`, else the target's host without
 * its port (as Kong hands lua-resty-healthcheck).
 * Not answering within `timeout` seconds is a timeout; a failed connection
 * (or TLS handshake) a TCP failure. `grpc`/`grpcs` probe as `tcp`/`https`
 * (docs/PROXY.md).
 */
export function probe(entry: BalancerEntry, active: Active, hostHeader: string | null = null): Promise<HealthEvent | null> {
  const timeoutMs = Math.max(1, active.timeout * 1000);
  if (active.type === 'tcp' || active.type === 'grpc') return probeTcp(entry, timeoutMs);
  return probeHttp(entry, active, timeoutMs, hostHeader ?? entry.target.slice(0, entry.target.lastIndexOf(':')));
}

function probeTcp(entry: BalancerEntry, timeoutMs: number): Promise<HealthEvent> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: entry.host, port: entry.port });
    const done = (event: HealthEvent): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(event);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.once('connect', () => done('success'));
    socket.once('error', () => done('tcp_failure'));
  });
}

function probeHttp(entry: BalancerEntry, active: Active, timeoutMs: number, host: string): Promise<HealthEvent | null> {
  return new Promise((resolve) => {
    const secure = active.type === 'https' || active.type === 'grpcs';
    const headers: Record<string, string[] | string> = { ...(active.headers ?? {}) };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'host')) headers.host = host;
    const servername = active.https_sni ?? (net.isIP(entry.host) === 0 ? entry.host : undefined);
    const options: https.RequestOptions = { host: entry.host, port: entry.port, path: active.http_path, method: 'GET', headers, agent: false };
    if (secure) Object.assign(options, { rejectUnauthorized: active.https_verify_certificate, servername });
    let settled = false;
    const done = (event: HealthEvent | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(event);
    };
    const req = (secure ? https : http).request(options, (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      if (active.healthy.http_statuses.includes(status)) done('success');
      else if (active.unhealthy.http_statuses.includes(status)) done('http_failure');
      else done(null);
    });
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    req.once('error', () => done('tcp_failure'));
    req.end();
  });
}
