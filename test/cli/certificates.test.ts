import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { createTestDatabase } from '../support/database';
import { startControlPlane, tempDir, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { makeCertificate } from '../support/tls-material';
import { runCli } from './run-cli';

/** Certificates, SNIs and CA certificates through the CLI: offline checks, sync, dump, diff and the lists. */
describe('TLS entities through the CLI', () => {
  let cp: TestControlPlane;
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    cp = await startControlPlane({ databaseUrl: await createTestDatabase() });
    dir = tempDir('gatehouse-certs-cli-');
    env = { GATEHOUSE_URL: cp.url, GATEHOUSE_CONFIG_DIR: path.join(dir, 'config') };
    expect(await cli('login', '--email', TEST_ADMIN_EMAIL, '--password', TEST_ADMIN_PASSWORD)).toMatchObject({ code: 0 });
  });
  afterAll(async () => {
    await cp?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a key that does not match offline, syncs, lists without keys, dumps and diffs clean', async () => {
    const [leaf, stranger, soon, root] = await Promise.all([
      makeCertificate({ type: 'rsa', names: ['cli.example.test'] }),
      makeCertificate({ type: 'rsa' }),
      makeCertificate({ type: 'ecdsa', names: ['soon.example.test'], expiresInDays: 10 }),
      makeCertificate({ ca: true, names: ['CLI Root'] }),
    ]);
    const bad = path.join(dir, 'bad.yml');
    fs.writeFileSync(bad, stringify({ _format_version: '3.0', certificates: [{ cert: leaf.cert, key: stranger.key }] }));
    const refused = await cli('validate', '-f', bad);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('certificates[0].key');
    expect(refused.stderr).toContain('certificate does not match key');

    const file = path.join(dir, 'kong.yml');
    const caId = '3b9d4a1e-2f6c-4d8e-9a1b-7c5e3f2d1a0b';
    fs.writeFileSync(
      file,
      stringify({
        _format_version: '3.0',
        ca_certificates: [{ id: caId, cert: root.cert }],
        certificates: [
          { cert: leaf.cert, key: leaf.key, snis: [{ name: 'cli.example.test' }, { name: '*.cli.example.test' }] },
          { cert: soon.cert, key: soon.key, snis: [{ name: 'soon.example.test' }] },
        ],
        services: [{ name: 'verified', url: 'https://verified.example.test', tls_verify: true, ca_certificates: [caId] }],
      }),
    );
    expect(await cli('validate', '-f', file)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('1 ca_certificates, 2 certificates, 3 snis, 1 services'),
    });
    expect(await cli('sync', '-f', file)).toMatchObject({ code: 0, stderr: expect.stringContaining('7 created, 0 updated, 0 deleted') });
    expect(await cli('diff', '-f', file, '--exit-code')).toMatchObject({ code: 0, stdout: expect.stringContaining('no differences') });

    const listed = await cli('certificates', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/SNIS\s+EXPIRES\s+STATE/);
    expect(listed.stdout).toContain('*.cli.example.test');
    expect(listed.stdout).toMatch(/soon\.example\.test.*expiring/);
    expect(listed.stdout).not.toContain('PRIVATE KEY');
    expect((await cli('snis', 'list')).stdout).toContain('*.cli.example.test');
    expect((await cli('ca-certificates', 'list')).stdout).toContain(caId);

    const dumped = path.join(dir, 'dump.yml');
    expect(await cli('dump', '-o', dumped)).toMatchObject({ code: 0 });
    expect(fs.readFileSync(dumped, 'utf8')).toContain('snis:');
    expect(await cli('diff', '-f', dumped, '--exit-code')).toMatchObject({ code: 0, stdout: expect.stringContaining('no differences') });
  });
});
