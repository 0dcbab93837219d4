import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRefusedDirectorySync, isTemporaryOf, temporaryPathFor } from './durable-temp';
import { prepareFileDurable, syncDirectory, writeFileDurable } from './durable-write';
import { createFileDurableSync, removeAbandonedTemporariesSync, syncDirectorySync, writeFileDurableSync } from './durable-write-sync';

const modeOf = (file: string): number => fs.statSync(file).mode & 0o777;
const temporaries = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('durable writes', () => {
  let dir: string;
  let umask: number;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-durable-'));
    // Setting it answers the old one (reading it alone is deprecated).
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, write] of [
    ['async', (f: string, d: string, mode?: number) => writeFileDurable(f, d, { mode })],
    // A throw inside the executor becomes a rejection, so both variants are judged alike.
    [
      'sync',
      (f: string, d: string, mode?: number) =>
        new Promise<void>((resolve) => {
          writeFileDurableSync(f, d, { mode });
          resolve();
        }),
    ],
  ] as const) {
    describe(name, () => {
      it('creates and replaces a file, private (0600) by default, leaving no temporary file', async () => {
        const file = path.join(dir, 'a.json');
        await write(file, 'one');
        expect(fs.readFileSync(file, 'utf8')).toBe('one');
        expect(modeOf(file)).toBe(0o600);
        await write(file, 'two');
        expect(fs.readFileSync(file, 'utf8')).toBe('two');
        expect(temporaries(dir)).toEqual([]);
      });

      it('gives the exact mode asked for whatever the umask, and a replaced wider file does not lend its mode', async () => {
        const file = path.join(dir, 'key.pem');
        process.umask(0o077);
        await write(file, 'public', 0o644);
        expect(modeOf(file)).toBe(0o644);
        process.umask(0);
        await write(file, 'secret', 0o600);
        expect(modeOf(file)).toBe(0o600);
      });

      it('removes its temporary file and leaves the old content when the rename fails', async () => {
        // A non-empty directory cannot be replaced by a file.
        const target = path.join(dir, 'busy');
        fs.mkdirSync(target);
        fs.writeFileSync(path.join(target, 'inside'), 'x');
        await expect(write(target, 'new')).rejects.toThrow();
        expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('x');
        expect(temporaries(dir)).toEqual([]);
      });

      it('fails without leaving anything when the directory is missing', async () => {
        await expect(write(path.join(dir, 'missing', 'f'), 'x')).rejects.toThrow(/ENOENT/);
        expect(fs.readdirSync(dir)).toEqual([]);
      });
    });
  }

  it('never lets concurrent writers share a temporary file: every write lands whole, the last rename wins', async () => {
    const file = path.join(dir, 'shared');
    const contents = Array.from({ length: 40 }, (_, i) => `writer ${i} `.repeat(5000));
    await Promise.all(contents.map((c) => writeFileDurable(file, c)));
    expect(contents).toContain(fs.readFileSync(file, 'utf8'));
    expect(temporaries(dir)).toEqual([]);
    const names = new Set(Array.from({ length: 1000 }, () => temporaryPathFor(file)));
    expect(names.size).toBe(1000);
  });

  it('prepares a file without touching the target until commit; abort removes it', async () => {
    const file = path.join(dir, 'cert.pem');
    fs.writeFileSync(file, 'old');
    const kept = await prepareFileDurable(file, 'discarded', { mode: 0o644 });
    expect(fs.readFileSync(kept.temporary, 'utf8')).toBe('discarded');
    await kept.abort();
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(temporaries(dir)).toEqual([]);
    const next = await prepareFileDurable(file, 'new', { mode: 0o644 });
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    await next.commit();
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(modeOf(file)).toBe(0o644);
    expect(temporaries(dir)).toEqual([]);
  });

  it('creates a file only once: a second create answers false and keeps the first content', () => {
    const file = path.join(dir, 'secret.key');
    expect(createFileDurableSync(file, 'first')).toBe(true);
    expect(createFileDurableSync(file, 'second')).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('first');
    expect(modeOf(file)).toBe(0o600);
    expect(fs.statSync(file).nlink).toBe(1);
    expect(temporaries(dir)).toEqual([]);
  });

  it('recognizes its own temporary files beside a target, and nothing else', () => {
    const file = path.join(dir, 'config.json');
    expect(isTemporaryOf(file, path.basename(temporaryPathFor(file)))).toBe(true);
    expect(isTemporaryOf(file, 'config.json')).toBe(false);
    expect(isTemporaryOf(file, '.node_id.1.1.ab.tmp')).toBe(false);
  });

  it('accepts a filesystem refusing to fsync a directory, and reports real failures', async () => {
    const error = (code: string) => Object.assign(new Error(code), { code });
    expect(isRefusedDirectorySync(error('EINVAL'))).toBe(true);
    expect(isRefusedDirectorySync(error('EISDIR'))).toBe(true);
    expect(isRefusedDirectorySync(error('EIO'))).toBe(false);
    await syncDirectory(dir);
    syncDirectorySync(dir);
    await expect(syncDirectory(path.join(dir, 'missing'))).rejects.toThrow(/ENOENT/);
    expect(() => syncDirectorySync(path.join(dir, 'missing'))).toThrow(/ENOENT/);
  });

  it("removes temporary files a killed writer abandoned, never a live writer's (this process's, or fresh)", () => {
    const file = path.join(dir, 'cluster.key');
    const old = (name: string): string => {
      fs.writeFileSync(path.join(dir, name), 'x');
      fs.utimesSync(path.join(dir, name), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
      return name;
    };
    const dead = old(`.cluster.key.${process.pid + 1}.1.ab.tmp`);
    const legacy = old('.cluster.key.0a1b2c3d4e5f.tmp');
    const ours = old(path.basename(temporaryPathFor(file)));
    const fresh = `.cluster.key.${process.pid + 1}.2.cd.tmp`;
    fs.writeFileSync(path.join(dir, fresh), 'x');
    const other = old(`.cluster.crt.${process.pid + 1}.1.ab.tmp`);
    expect(removeAbandonedTemporariesSync(file).sort()).toEqual([dead, legacy].sort());
    expect(fs.readdirSync(dir).sort()).toEqual([fresh, other, ours].sort());
    expect(removeAbandonedTemporariesSync(path.join(dir, 'missing', 'f'))).toEqual([]);
  });
});
