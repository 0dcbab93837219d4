import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { call, client, login } from '../support/api';
import { createTestDatabase, query, testServerUrl } from '../support/database';
import { freePort, startControlPlane, startNode, tempDir, TEST_ADMIN_EMAIL, type TestControlPlane } from '../support/processes';

describe('control plane lifecycle', () => {
  const started: TestControlPlane[] = [];
  afterAll(async () => {
    await Promise.all(started.map((cp) => cp.stop()));
  });

  it('keeps data across a restart in embedded mode, with a generated admin password printed once and a 0600 secret key', async () => {
    const dataDir = tempDir('gatehouse-embedded-');
    const env = { GATEHOUSE_ADMIN_PASSWORD: undefined, GATEHOUSE_SECRET_KEY: undefined };
    const first = await startControlPlane({ dataDir, env });
    started.push(first);
    const line = await first.waitForEvent('admin_password_generated', 5000);
    const password = line.generated_password as string;
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(String(line.msg)).toContain(password);
    const keyFile = path.join(dataDir, 'secret.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);

    const api = client(first.url, await login(first.url, TEST_ADMIN_EMAIL, password));
    expect((await api.post('/v1/runtime-groups/default/services', { name: 'survivor', url: 'http://survivor.internal' })).status).toBe(201);
    await first.stop();

    const second = await startControlPlane({ dataDir, env });
    started.push(second);
    expect(second.lines.some((l) => l.includes('admin_password_generated'))).toBe(false);
    const again = client(second.url, await login(second.url, TEST_ADMIN_EMAIL, password));
    const read = await again.get('/v1/runtime-groups/default/services/survivor');
    expect(read.status).toBe(200);
    expect(read.body.host).toBe('survivor.internal');
    await second.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('runs two CP processes side by side on one database: one bootstrap, shared tokens and data', async () => {
    const databaseUrl = await createTestDatabase();
    const [a, b] = await Promise.all([startControlPlane({ databaseUrl }), startControlPlane({ databaseUrl })]);
    started.push(a, b);
    expect(await query(databaseUrl, 'SELECT id FROM organizations')).toHaveLength(1);
    expect(await query(databaseUrl, 'SELECT id FROM users')).toHaveLength(1);
    expect(await query(databaseUrl, "SELECT id FROM runtime_groups WHERE name = 'default'")).toHaveLength(1);

    const token = await login(a.url);
    const onA = client(a.url, token);
    const onB = client(b.url, token);
    expect((await onA.post('/v1/service-hub/services', { name: 'shared' })).status).toBe(201);
    expect((await onB.get('/v1/service-hub/services/shared')).status).toBe(200);
    expect((await onB.post('/v1/service-hub/services', { name: 'shared' })).status).toBe(409);
    expect((await onB.post('/v1/auth/logout')).status).toBe(204);
    expect((await onA.get('/v1/me')).status).toBe(401);
    await Promise.all([a.stop(), b.stop()]);
  }, 60_000);

  it('answers health 503 when its database goes away', async () => {
    const databaseUrl = await createTestDatabase();
    const cp = await startControlPlane({ databaseUrl });
    started.push(cp);
    expect((await call(cp.url, 'GET', '/v1/health')).status).toBe(200);
    const name = new URL(databaseUrl).pathname.slice(1);
    await query(testServerUrl(), `DROP DATABASE "${name}" WITH (FORCE)`);
    const res = await call(cp.url, 'GET', '/v1/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ database: 'unavailable' });
    await cp.stop();
  });

  it('stops with one clear line when the admin port is taken', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const dataDir = tempDir('gatehouse-busy-');
    try {
      const proc = startNode('packages/control-plane/dist/main.js', {
        DATABASE_URL: await createTestDatabase(),
        GATEHOUSE_DATA_DIR: dataDir,
        GATEHOUSE_ADMIN_LISTEN: `127.0.0.1:${port}`,
        GATEHOUSE_CLUSTER_LISTEN: `127.0.0.1:${await freePort()}`,
        GATEHOUSE_ADMIN_PASSWORD: 'correct-horse-battery',
        GATEHOUSE_SECRET_KEY: 'test-secret-key-0123456789abcdef',
      });
      const exitCode = await new Promise<number | null>((resolve) => proc.child.once('exit', (code) => resolve(code)));
      expect(exitCode).not.toBe(0);
      const output = proc.lines.join('\n');
      expect(output).toContain('GATEHOUSE_ADMIN_LISTEN');
      expect(output).toContain('already in use');
      expect(output).not.toContain('Unhandled');
    } finally {
      blocker.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
