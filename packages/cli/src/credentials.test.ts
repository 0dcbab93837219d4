import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configDir, credentialsPath, loadToken, saveToken } from './credentials';

describe('saved credentials', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cred-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('live in GATEHOUSE_CONFIG_DIR, else XDG_CONFIG_HOME/gatehouse, else ~/.config/gatehouse', () => {
    expect(configDir({ GATEHOUSE_CONFIG_DIR: '/a', XDG_CONFIG_HOME: '/b' })).toBe('/a');
    expect(configDir({ XDG_CONFIG_HOME: '/b' })).toBe('/b/gatehouse');
    expect(configDir({})).toBe(path.join(os.homedir(), '.config', 'gatehouse'));
  });

  it('are saved per control plane with mode 0600, keeping other control planes’ tokens', () => {
    const env = { GATEHOUSE_CONFIG_DIR: path.join(dir, 'nested') };
    saveToken('http://cp-a:8001/', { token: 'a' }, env);
    saveToken('http://cp-b:8001', { token: 'b', email: 'b@example.test' }, env);
    expect(fs.statSync(credentialsPath(env)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(env.GATEHOUSE_CONFIG_DIR).mode & 0o777).toBe(0o700);
    expect(loadToken('http://CP-A:8001', env)).toEqual({ token: 'a' });
    expect(loadToken('http://cp-b:8001/v1', env)).toEqual({ token: 'b', email: 'b@example.test' });
    expect(loadToken('http://cp-c:8001', env)).toBeUndefined();
  });

  it('tighten a file that was readable by others when they rewrite it', () => {
    const env = { GATEHOUSE_CONFIG_DIR: dir };
    fs.writeFileSync(credentialsPath(env), 'not json', { mode: 0o644 });
    expect(loadToken('http://cp:8001', env)).toBeUndefined();
    saveToken('http://cp:8001', { token: 't' }, env);
    expect(fs.statSync(credentialsPath(env)).mode & 0o777).toBe(0o600);
    expect(loadToken('http://cp:8001', env)).toEqual({ token: 't' });
  });

  it('remove the copy of the tokens a login killed mid-save left, once it is abandoned', () => {
    const env = { GATEHOUSE_CONFIG_DIR: dir };
    const left = path.join(dir, `.credentials.json.${process.pid + 1}.1.0a0b.tmp`);
    fs.writeFileSync(left, '{"tokens":{', { mode: 0o600 });
    fs.utimesSync(left, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    saveToken('http://cp:8001', { token: 't' }, env);
    expect(fs.readdirSync(dir)).toEqual(['credentials.json']);
  });
});
