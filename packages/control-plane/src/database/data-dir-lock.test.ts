import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import pino from 'pino';
import { acquireDataDirLock, DataDirInUseError, LOCK_FILE } from './data-dir-lock';
import { startToken } from './process-probe';

const log = pino({ level: 'silent' });

describe('acquireDataDirLock', () => {
  let dir: string;
  let other: ChildProcess | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lock-'));
  });
  afterEach(() => {
    other?.kill('SIGKILL');
    other = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A live process standing in for another control plane. */
  function liveProcess(): number {
    other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    if (other.pid === undefined) throw new Error('could not start a process');
    return other.pid;
  }

  it('records this process (pid and start time) and removes the file on release', () => {
    const lock = acquireDataDirLock(dir, log);
    const file = path.join(dir, LOCK_FILE);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ pid: process.pid, start: startToken(process.pid) });
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses a data dir a live control plane holds, naming it, and leaves its file alone', async () => {
    const pid = liveProcess();
    await new Promise((r) => setTimeout(r, 100));
    const held = JSON.stringify({ pid, start: startToken(pid) });
    fs.writeFileSync(path.join(dir, LOCK_FILE), held);
    expect(() => acquireDataDirLock(dir, log)).toThrow(DataDirInUseError);
    expect(() => acquireDataDirLock(dir, log)).toThrow(
      `the data directory ${dir} is in use by another Gatehouse control plane (pid ${pid}); stop it or set GATEHOUSE_DATA_DIR`,
    );
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toBe(held);
  });

  it('takes over a file whose process is gone, or whose pid now runs another process', () => {
    const file = path.join(dir, LOCK_FILE);
    // The largest pid Linux hands out is 2^22; this one is free.
    fs.writeFileSync(file, JSON.stringify({ pid: 4_194_304 + 1, start: '1' }));
    acquireDataDirLock(dir, log).release();

    const pid = liveProcess();
    fs.writeFileSync(file, JSON.stringify({ pid, start: 'not-its-start-time' }));
    const lock = acquireDataDirLock(dir, log);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('takes over a file this very pid wrote in an earlier life (a container where the CP is always pid 1), or a torn one', () => {
    const file = path.join(dir, LOCK_FILE);
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, start: 'earlier' }));
    acquireDataDirLock(dir, log).release();
    fs.writeFileSync(file, '{"pi');
    acquireDataDirLock(dir, log).release();
  });

  it('release leaves a file another process has since taken', () => {
    const lock = acquireDataDirLock(dir, log);
    const theirs = JSON.stringify({ pid: 12345, start: 'theirs' });
    fs.writeFileSync(path.join(dir, LOCK_FILE), theirs);
    lock.release();
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toBe(theirs);
  });
});
