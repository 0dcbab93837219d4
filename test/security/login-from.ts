import http from 'node:http';
import type { WireJson } from '../support/api';
import type { TestControlPlane } from '../support/processes';

/** A login answer as the throttle tests read it. */
export interface LoginResult {
  status: number;
  retryAfter: string | undefined;
  body: WireJson;
}

/**
 * POST /v1/auth/login from a chosen loopback address (127.0.0.0/8 all reach
 * the CP), as different clients would: the CP throttles by the socket's
 * address. Bounded by a 10 s timeout.
 */
export function loginFrom(cp: TestControlPlane, localAddress: string, email: string, password: string): Promise<LoginResult> {
  const payload = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: cp.adminPort,
        path: '/v1/auth/login',
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('login timed out')));
    req.end(payload);
  });
}
