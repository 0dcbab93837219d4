import path from 'node:path';
import { spawnSync } from 'node:child_process';

/** The decision part of scripts/test-prerequisites.js, which is plain JavaScript. */
interface Missing {
  name: string;
  pkg: string;
}
interface Host {
  aptGet: boolean;
  root: boolean;
  sudo: boolean;
  allowed: boolean;
}
type Plan = { kind: 'ready' } | { kind: 'install'; packages: string[]; sudo: boolean } | { kind: 'refuse'; line: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { plan } = require('../../scripts/prerequisites/plan.js') as { plan: (missing: Missing[], host: Host) => Plan };

const REDIS = { name: 'redis-server', pkg: 'redis-server' };
const CHROMIUM = { name: 'chromium', pkg: 'chromium' };
const ROOT: Host = { aptGet: true, root: true, sudo: false, allowed: true };

describe('test prerequisites: the decision', () => {
  it('does nothing when nothing is missing, even where it could not install', () => {
    expect(plan([], { aptGet: false, root: false, sudo: false, allowed: false })).toEqual({ kind: 'ready' });
  });

  it('installs with apt-get as root, and through sudo -n otherwise', () => {
    expect(plan([REDIS, CHROMIUM], ROOT)).toEqual({ kind: 'install', packages: ['redis-server', 'chromium'], sudo: false });
    expect(plan([REDIS], { ...ROOT, root: false, sudo: true })).toEqual({ kind: 'install', packages: ['redis-server'], sudo: true });
  });

  it('refuses with one line naming the package and the command when it may not install', () => {
    const noRoot = plan([REDIS], { ...ROOT, root: false });
    expect(noRoot).toEqual({ kind: 'refuse', line: "missing redis-server: run 'sudo apt-get install -y redis-server' and then npm test again" });
    const both = plan([REDIS, CHROMIUM], { ...ROOT, allowed: false });
    expect(both).toEqual({
      kind: 'refuse',
      line: "missing redis-server, chromium: run 'sudo apt-get install -y redis-server chromium' and then npm test again",
    });
  });

  it('names the package but no apt-get command where there is no apt-get', () => {
    const line = (plan([CHROMIUM], { ...ROOT, aptGet: false }) as { line: string }).line;
    expect(line).toBe("missing chromium: install chromium with this system's package manager and then npm test again");
    expect(line).not.toContain('\n');
  });
});

describe('test prerequisites: the script', () => {
  const script = path.join(__dirname, '../../scripts/test-prerequisites.js');

  it('stops with one line and exit code 1 when a program is missing and installing is off', () => {
    const run = spawnSync(process.execPath, [script], {
      env: { ...process.env, GATEHOUSE_CHROMIUM: '/nonexistent/chromium', GATEHOUSE_INSTALL_PREREQUISITES: '0' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^missing (redis-server, )?chromium: run 'sudo apt-get install -y (redis-server )?chromium' and then npm test again$/),
    ]);
    expect(run.stdout).toBe('');
  });
});
