import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from '../support/database';
import { freePort, startControlPlane, tempDir, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestControlPlane } from '../support/processes';
import { exchange, startTaggedServer } from '../support/streams';
import { runLaunchScript, waitFor, type ScriptedDataPlane } from '../e2e/support';
import { runCli } from './run-cli';

/** A kong.yml with stream routes: one named tcp route by destination, an unnamed one by source, a tls_passthrough one by SNI. */
function kongYml(upstreamPort: number, streamPort: number): string {
  return `_format_version: "3.0"
services:
  - name: tcp-echo
    protocol: tcp
    host: 127.0.0.1
    port: ${upstreamPort}
    routes:
      - name: tcp-in
        protocols: [tcp]
        destinations:
          - port: ${streamPort}
      - protocols: [tcp]
        sources:
          - ip: 10.0.0.0/8
            port: 5000
      - name: db-passthrough
        protocols: [tls_passthrough]
        snis: ["*.db.example.test"]
`;
}

describe('stream routes through the CLI, the CP and a real DP', () => {
  let cp: TestControlPlane;
  let dp: ScriptedDataPlane | undefined;
  let upstream: Awaited<ReturnType<typeof startTaggedServer>>;
  let dir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    cp = await startControlPlane({ databaseUrl: await createTestDatabase() });
    upstream = await startTaggedServer('E');
    dir = tempDir('gatehouse-streams-e2e-');
    env = { GATEHOUSE_URL: cp.url, GATEHOUSE_CONFIG_DIR: path.join(dir, 'config') };
    expect(await cli('login', '--email', TEST_ADMIN_EMAIL, '--password', TEST_ADMIN_PASSWORD)).toMatchObject({ code: 0 });
  });

  afterAll(async () => {
    await Promise.all([dp, cp].filter((p) => p !== undefined).map((p) => p.stop()));
    upstream?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a tls_passthrough route without snis, naming the field', async () => {
    const file = path.join(dir, 'bad.yml');
    fs.writeFileSync(file, '_format_version: "3.0"\nroutes:\n  - name: bad\n    protocols: [tls_passthrough]\n    destinations: [{ port: 1 }]\n');
    const res = await cli('validate', '-f', file);
    expect(res.code).not.toBe(0);
    expect(res.stderr + res.stdout).toContain("must set snis when 'protocols' is 'tls_passthrough'");
  });

  it('syncs, dumps and diffs snis, sources and destinations clean; the DP serves the synced tcp route', async () => {
    const streamPort = await freePort();
    const file = path.join(dir, 'kong.yml');
    fs.writeFileSync(file, kongYml(upstream.port, streamPort));
    expect(await cli('validate', '-f', file)).toMatchObject({ code: 0 });
    expect(await cli('sync', '-f', file)).toMatchObject({ code: 0, stderr: expect.stringContaining('4 created, 0 updated, 0 deleted') });
    expect(await cli('diff', '-f', file, '--exit-code')).toMatchObject({ code: 0, stdout: expect.stringContaining('no differences') });

    const dumped = path.join(dir, 'dump.yml');
    expect(await cli('dump', '-o', dumped)).toMatchObject({ code: 0 });
    const dump = fs.readFileSync(dumped, 'utf8');
    expect(dump).toContain('- "*.db.example.test"');
    expect(dump).toMatch(/sources:\n\s+- ip: 10\.0\.0\.0\/8\n\s+port: 5000/);
    expect(dump).toMatch(new RegExp(`destinations:\\n\\s+- ip: null\\n\\s+port: ${streamPort}`));
    expect(await cli('diff', '-f', dumped, '--exit-code')).toMatchObject({ code: 0 });

    const script = path.join(dir, 'launch.sh');
    expect(await cli('launch-script', '--kind', 'shell', '-o', script)).toMatchObject({ code: 0 });
    dp = await runLaunchScript(fs.readFileSync(script, 'utf8'), { env: { GATEHOUSE_STREAM_LISTEN: `127.0.0.1:${streamPort}` } });
    const reply = await waitFor('the synced tcp route', async () => {
      const r = await exchange(streamPort, 'ping');
      return r.reply === 'E:ping' ? r.reply : undefined;
    });
    expect(reply).toBe('E:ping');
  });
});
