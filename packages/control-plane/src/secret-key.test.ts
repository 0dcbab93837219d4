import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSecretKey, SECRET_KEY_FILE } from './secret-key';

describe('the generated secret key', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-secret-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is created once (0600, whole, no temporary file left) and read back the same on every later start', () => {
    const settings = { GATEHOUSE_DATA_DIR: path.join(dir, 'data'), GATEHOUSE_SECRET_KEY: undefined };
    const first = loadSecretKey(settings);
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = path.join(settings.GATEHOUSE_DATA_DIR, SECRET_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKey(settings).equals(first)).toBe(true);
    expect(fs.readdirSync(settings.GATEHOUSE_DATA_DIR)).toEqual([SECRET_KEY_FILE]);
  });

  it('is never replaced: an unusable file is reported, not overwritten', () => {
    fs.writeFileSync(path.join(dir, SECRET_KEY_FILE), 'short');
    expect(() => loadSecretKey({ GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET_KEY: undefined })).toThrow(/no usable secret key/);
    expect(fs.readFileSync(path.join(dir, SECRET_KEY_FILE), 'utf8')).toBe('short');
  });

  it('GATEHOUSE_SECRET_KEY wins and nothing is written', () => {
    expect(loadSecretKey({ GATEHOUSE_DATA_DIR: dir, GATEHOUSE_SECRET_KEY: 'k'.repeat(20) }).toString()).toBe('k'.repeat(20));
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
