import fs from 'node:fs';
import { call, login } from '../support/api';
import { createTestDatabase } from '../support/database';
import { startControlPlane, type TestControlPlane } from '../support/processes';
import { RawConnection } from './raw-connection';

const MIB = 1024 * 1024;

/** A request head for a raw connection. */
function head(method: string, path: string, headers: Record<string, string | number>): string {
  return `${method} ${path} HTTP/1.1\r\nHost: cp\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat, 12 and 13 after "pid (comm) ", in clock ticks (100 a second on Linux).
  return fields.slice(11, 13).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * No request buys work before it is authenticated: the CP answers 401 to a
 * body it has not read, reads at most 16 KiB of a public route's body (login),
 * and never waits for a body longer than it will read (docs/SECURITY.md,
 * "Bad input"). Real CP process, raw sockets where a client would not misbehave.
 */
describe('request bodies before authentication', () => {
  let cp: TestControlPlane;
  let token: string;
  const started: TestControlPlane[] = [];

  beforeAll(async () => {
    cp = await startControlPlane({ databaseUrl: await createTestDatabase('unauthbody') });
    started.push(cp);
    token = await login(cp.url);
  });
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop()));
  });

  it('answers 401 to an unauthenticated 1 MiB body before the client has sent it, then throws the rest away and serves the connection on', async () => {
    const conn = await RawConnection.open(cp.adminPort);
    try {
      // A body deeply nested, the dearest kind to parse; only its first 64 KiB are sent.
      await conn.write(head('POST', '/v1/runtime-groups', { 'content-type': 'application/json', 'content-length': MIB }));
      await conn.write(Buffer.alloc(64 * 1024, '['));
      const refused = await conn.answer(10_000);
      expect(refused?.status).toBe(401);
      expect(JSON.parse(refused?.body ?? '{}')).toMatchObject({ code: 'unauthorized' });
      // The rest of the body is read and discarded (it is under 2 MiB): the connection stays usable.
      await conn.write(Buffer.alloc(MIB - 64 * 1024, '['));
      await conn.write(head('GET', '/v1/health', {}));
      expect((await conn.answer(10_000))?.status).toBe(200);
    } finally {
      conn.close();
    }
  });

  it.each([
    ['an unauthenticated write', '/v1/runtime-groups', false, 401, 'unauthorized'],
    ['a login', '/v1/auth/login', false, 413, 'payload_too_large'],
    ['an authenticated write', '/v1/runtime-groups', true, 413, 'payload_too_large'],
  ])(
    'answers %s declaring Content-Length: 10000000000 and sending 2 bytes at once, then closes the connection',
    async (_what, path, authenticated, status, code) => {
      const conn = await RawConnection.open(cp.adminPort);
      try {
        const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': 10_000_000_000 };
        if (authenticated) headers.authorization = `Bearer ${token}`;
        await conn.write(head('POST', path, headers) + '{"');
        const answer = await conn.answer(5_000);
        expect(answer?.status).toBe(status);
        expect(JSON.parse(answer?.body ?? '{}')).toMatchObject({ code });
        expect(await conn.closedWithin(5_000)).toBe(true);
      } finally {
        conn.close();
      }
    },
  );

  it('refuses a login body over 16 KiB with 413, by its length or as soon as a chunked one passes it, and reads one under it', async () => {
    const over = await call(cp.url, 'POST', '/v1/auth/login', { body: { email: 'a@example.test', password: 'x'.repeat(17 * 1024) } });
    expect(over.status).toBe(413);
    expect(over.body).toMatchObject({ code: 'payload_too_large', message: 'request body too large (the limit is 16 KiB)' });

    const conn = await RawConnection.open(cp.adminPort);
    try {
      await conn.write(head('POST', '/v1/auth/login', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
      // One 20 KiB chunk and no last chunk: the CP must not wait for the end of the body.
      await conn.write(`${(20 * 1024).toString(16)}\r\n${'{'.repeat(20 * 1024)}\r\n`);
      expect((await conn.answer(5_000))?.status).toBe(413);
      expect(await conn.closedWithin(5_000)).toBe(true);
    } finally {
      conn.close();
    }

    // 15 KiB is read and validated: the password is too long for the schema, not the body for the limit.
    const under = await call(cp.url, 'POST', '/v1/auth/login', { body: { email: 'a@example.test', password: 'x'.repeat(15 * 1024) } });
    expect(under.status).toBe(400);
    expect(under.body).toHaveProperty('fields.password');
  });

  it('keeps the 1 MiB limit, 415 and the depth rule for authenticated callers, and 401 first for everyone else', async () => {
    const big = JSON.stringify({ name: 'big', description: 'x'.repeat(1_100_000) });
    const tooLarge = await call(cp.url, 'POST', '/v1/runtime-groups', { token, raw: big });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 'payload_too_large', message: 'request body too large (the limit is 1 MiB)' });
    expect((await call(cp.url, 'POST', '/v1/runtime-groups', { raw: big })).status).toBe(401);
    expect((await call(cp.url, 'POST', '/v1/runtime-groups', { token, raw: 'name=x', contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await call(cp.url, 'POST', '/v1/runtime-groups', { raw: 'name=x', contentType: 'application/x-www-form-urlencoded' })).status).toBe(401);
    const deep = await call(cp.url, 'POST', '/v1/runtime-groups', { token, raw: `${'['.repeat(100)}${']'.repeat(100)}` });
    expect(deep.status).toBe(400);
    expect((await call(cp.url, 'POST', '/v1/runtime-groups', { token, raw: '{"name": "gz"}', headers: { 'content-encoding': 'gzip' } })).status).toBe(415);
    // 900 KB is read and validated: the description is too long for the schema, not the body for the limit.
    const read = await call(cp.url, 'POST', '/v1/runtime-groups', { token, body: { name: 'bodies-ok', description: 'd'.repeat(900_000) } });
    expect(read.status).toBe(400);
    expect(read.body).toHaveProperty('fields.description');
  });

  it('keeps /v1/health answering while 8 senders push unauthenticated 1 MiB bodies', async () => {
    const healthTimes = async (n: number): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        expect((await call(cp.url, 'GET', '/v1/health')).status).toBe(200);
        times.push(performance.now() - started);
      }
      return times;
    };
    const idle = median(await healthTimes(30));

    let stop = false;
    let refused = 0;
    const body = Buffer.alloc(MIB, '[');
    const sender = async (): Promise<void> => {
      while (!stop) {
        const conn = await RawConnection.open(cp.adminPort);
        try {
          await conn.write(head('POST', '/v1/runtime-groups', { 'content-type': 'application/json', 'content-length': MIB }));
          await conn.write(body);
          if ((await conn.answer(10_000))?.status === 401) refused++;
        } finally {
          conn.close();
        }
      }
    };
    const pid = cp.child.pid ?? 0;
    const cpuBefore = cpuSeconds(pid);
    const senders = Array.from({ length: 8 }, () => sender());
    await new Promise((r) => setTimeout(r, 500));
    const loaded = median(await healthTimes(30));
    stop = true;
    await Promise.all(senders);
    const cpuMsPerRequest = ((cpuSeconds(pid) - cpuBefore) * 1000) / refused;
    // The figures docs/SECURITY.md records; the bound is loose on purpose (a shared machine).
    console.log(
      JSON.stringify({
        health_p50_idle_ms: Math.round(idle * 10) / 10,
        health_p50_loaded_ms: Math.round(loaded * 10) / 10,
        refused_1mib_bodies: refused,
        cp_cpu_ms_per_refused_body: Math.round(cpuMsPerRequest * 10) / 10,
      }),
    );
    expect(refused).toBeGreaterThan(8);
    expect(loaded).toBeLessThan(500);
  });
});
