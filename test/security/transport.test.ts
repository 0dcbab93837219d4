import tls from 'node:tls';
import { call, login } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, type TestControlPlane } from '../support/processes';

/** Opens TLS to the cluster port with one protocol version; answers the version agreed, or the error. */
function handshake(port: number, version: tls.SecureVersion): Promise<{ protocol: string | null } | { error: string }> {
  return new Promise((resolve) => {
    // SECLEVEL=0 lets this client offer old protocols at all, so a refusal is the server's.
    const socket = tls.connect({ host: '127.0.0.1', port, minVersion: version, maxVersion: version, rejectUnauthorized: false, ciphers: 'DEFAULT@SECLEVEL=0' });
    const done = (r: { protocol: string | null } | { error: string }): void => {
      socket.destroy();
      resolve(r);
    };
    socket.once('secureConnect', () => done({ protocol: socket.getProtocol() }));
    socket.once('error', (err) => done({ error: err.message }));
    socket.setTimeout(5000, () => done({ error: 'timeout' }));
  });
}

const EXPECTED_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Transport security: the cluster port speaks TLS 1.2 and 1.3 only, and the
 * admin API and web UI answer with security headers (and API answers are
 * never cached) — on successes and on errors alike.
 */
describe('transport security', () => {
  let cp: TestControlPlane;

  beforeAll(async () => {
    cp = await startControlPlane({ databaseUrl: await createTestDatabase('transport') });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('refuses TLS 1.0 and 1.1 on the cluster port, and accepts TLS 1.2 and 1.3', async () => {
    for (const old of ['TLSv1', 'TLSv1.1'] as const) {
      const result = await handshake(cp.clusterPort, old);
      expect({ old, refused: 'error' in result }).toEqual({ old, refused: true });
      // The server's alert, not this client giving up before it asked.
      expect((result as { error: string }).error).toMatch(/alert protocol version/);
    }
    expect(await handshake(cp.clusterPort, 'TLSv1.2')).toEqual({ protocol: 'TLSv1.2' });
    expect(await handshake(cp.clusterPort, 'TLSv1.3')).toEqual({ protocol: 'TLSv1.3' });
  });

  it('sends the security headers and a restrictive CSP on API answers (2xx, 401, 404, 400) and on the web UI', async () => {
    const token = await login(cp.url);
    const answers = await Promise.all([
      fetch(`${cp.url}/v1/health`),
      fetch(`${cp.url}/v1/me`),
      fetch(`${cp.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${cp.url}/v1/nowhere`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${cp.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
      fetch(`${cp.url}/`),
      fetch(`${cp.url}/service-hub`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 401, 200, 404, 400, 200, 200]);
    for (const res of answers) {
      for (const [name, value] of Object.entries(EXPECTED_HEADERS))
        expect({ url: res.url, name, value: res.headers.get(name) }).toEqual({ url: res.url, name, value });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    for (const res of answers.slice(0, 5)) expect({ url: res.url, cache: res.headers.get('cache-control') }).toEqual({ url: res.url, cache: 'no-store' });
    expect(await answers[5]?.text()).toContain('<div id="root"');
  });

  it('answers the login and token answers with no-store, so no cache keeps a token', async () => {
    const res = await call(cp.url, 'POST', '/v1/auth/login', { body: { email: 'admin@example.test', password: 'correct-horse-battery' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
