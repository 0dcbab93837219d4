import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containerControlPlane, renderDockerScript } from './docker-script';
import type { LaunchScriptInput } from './script-parts';
import { renderShellScript } from './shell-script';

const PEM = (label: string, body: string): string => `-----BEGIN ${label}-----\n${Buffer.from(body).toString('base64')}\n-----END ${label}-----\n`;

const input: LaunchScriptInput = {
  runtimeGroup: { id: '5a0a3c59-7d41-4c1e-9a6e-0f7e2b1f9a10', name: 'default' },
  certificate: {
    id: 'c1',
    cert: PEM('CERTIFICATE', 'leaf'),
    key: PEM('PRIVATE KEY', "it's secret"),
    ca_cert: PEM('CERTIFICATE', 'ca'),
    not_after: new Date('2030-01-01T00:00:00Z'),
  },
  controlPlane: 'localhost:8005',
  serverName: 'localhost',
  generatedAt: new Date('2029-07-01T00:00:00Z'),
};

/** Runs a script with a clean environment plus `env`, in `cwd`; answers stdout. */
function run(script: string, cwd: string, env: Record<string, string>): string {
  const file = path.join(cwd, 'launch.sh');
  fs.writeFileSync(file, script);
  return execFileSync('bash', [file], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('launch scripts', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-launch-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('shell', () => {
    // Stands in for the installation's built data plane: prints the settings it was started with.
    function installation(): string {
      const root = path.join(dir, "inst all's");
      fs.mkdirSync(path.join(root, 'packages/data-plane/dist'), { recursive: true });
      fs.writeFileSync(
        path.join(root, 'packages/data-plane/dist/main.js'),
        `console.log(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('GATEHOUSE_')))))`,
      );
      return root;
    }

    it('writes the certificate, key (0600) and CA into GATEHOUSE_DP_DIR and starts the installation’s data plane with them', () => {
      const root = installation();
      const env = JSON.parse(run(renderShellScript(input, { root }), dir, {})) as Record<string, string>;
      const dpDir = path.join(fs.realpathSync(dir), '.gatehouse-dp');
      expect(env).toEqual({
        GATEHOUSE_DP_DIR: dpDir,
        GATEHOUSE_CLUSTER_CONTROL_PLANE: 'localhost:8005',
        GATEHOUSE_CLUSTER_SERVER_NAME: 'localhost',
        GATEHOUSE_CLUSTER_CERT: path.join(dpDir, 'cluster.crt'),
        GATEHOUSE_CLUSTER_CERT_KEY: path.join(dpDir, 'cluster.key'),
        GATEHOUSE_CLUSTER_CA: path.join(dpDir, 'cluster-ca.crt'),
      });
      expect(fs.readFileSync(env.GATEHOUSE_CLUSTER_CERT!, 'utf8')).toBe(input.certificate.cert);
      expect(fs.readFileSync(env.GATEHOUSE_CLUSTER_CERT_KEY!, 'utf8')).toBe(input.certificate.key);
      expect(fs.readFileSync(env.GATEHOUSE_CLUSTER_CA!, 'utf8')).toBe(input.certificate.ca_cert);
      expect(fs.statSync(env.GATEHOUSE_CLUSTER_CERT_KEY!).mode & 0o777).toBe(0o600);
    });

    it('lets GATEHOUSE_* variables already set win, and keeps the DP dir (node id) when run twice', () => {
      const root = installation();
      const dpDir = path.join(dir, 'custom-dp');
      const env = { GATEHOUSE_DP_DIR: dpDir, GATEHOUSE_CLUSTER_CONTROL_PLANE: '127.0.0.1:9999', GATEHOUSE_PROXY_LISTEN: '127.0.0.1:9000' };
      const first = JSON.parse(run(renderShellScript(input, { root }), dir, env)) as Record<string, string>;
      fs.writeFileSync(path.join(dpDir, 'node_id'), 'the-node-id\n');
      fs.writeFileSync(path.join(dpDir, 'cluster-renewed.crt'), 'stale');
      const second = JSON.parse(run(renderShellScript(input, { root }), dir, env)) as Record<string, string>;
      for (const started of [first, second]) {
        expect(started.GATEHOUSE_DP_DIR).toBe(dpDir);
        expect(started.GATEHOUSE_CLUSTER_CONTROL_PLANE).toBe('127.0.0.1:9999');
        expect(started.GATEHOUSE_PROXY_LISTEN).toBe('127.0.0.1:9000');
      }
      expect(fs.readFileSync(path.join(dpDir, 'node_id'), 'utf8')).toBe('the-node-id\n');
      expect(fs.existsSync(path.join(dpDir, 'cluster-renewed.crt'))).toBe(false);
    });
  });

  describe('docker', () => {
    it('runs the data-plane image with the files mounted read-only, -p 8000:8000, and the environment passed in', () => {
      // Docker cannot run here: a `docker` on PATH records the arguments it was given.
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(
        path.join(bin, 'docker'),
        `#!/usr/bin/env bash\nprintf '%s\\n' "$@" >> "${dir}/docker-args"\nprintf -- '--\\n' >> "${dir}/docker-args"\n`,
        { mode: 0o755 },
      );
      run(renderDockerScript(input, { image: 'gatehouse/data-plane:test' }), dir, {
        PATH: `${bin}:${process.env.PATH}`,
        GATEHOUSE_PROXY_LISTEN: '0.0.0.0:8000',
      });
      const calls = fs
        .readFileSync(path.join(dir, 'docker-args'), 'utf8')
        .split('--\n')
        .filter((c) => c !== '')
        .map((c) => c.trim().split('\n'));
      expect(calls[0]?.slice(0, 2)).toEqual(['rm', '-f']);
      const runArgs = calls[1]!;
      const dpDir = path.join(fs.realpathSync(dir), '.gatehouse-dp');
      expect(runArgs[0]).toBe('run');
      expect(runArgs.at(-1)).toBe('gatehouse/data-plane:test');
      const pairs = runArgs.slice(0, -1).map((a, i) => `${a} ${runArgs[i + 1]}`);
      expect(pairs).toEqual(
        expect.arrayContaining([
          '-p 8000:8000',
          `-v ${dpDir}:/var/lib/gatehouse-dp`,
          `-v ${dpDir}/cluster.crt:/etc/gatehouse/cluster.crt:ro`,
          `-v ${dpDir}/cluster.key:/etc/gatehouse/cluster.key:ro`,
          `-v ${dpDir}/cluster-ca.crt:/etc/gatehouse/cluster-ca.crt:ro`,
          '-e GATEHOUSE_CLUSTER_CONTROL_PLANE',
          '-e GATEHOUSE_PROXY_LISTEN',
          '-e GATEHOUSE_CLUSTER_CERT=/etc/gatehouse/cluster.crt',
        ]),
      );
      expect(fs.statSync(path.join(dpDir, 'cluster.key')).mode & 0o777).toBe(0o600);
    });

    it('dials a loopback control plane through host.docker.internal', () => {
      expect(containerControlPlane('localhost:8005')).toBe('host.docker.internal:8005');
      expect(containerControlPlane('cp.example.com:8005')).toBe('cp.example.com:8005');
    });
  });
});
