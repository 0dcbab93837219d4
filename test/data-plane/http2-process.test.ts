import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeCertificate, startBuiltDataPlane, startEcho, writeConfigCache, type BuiltDataPlane } from './support';
import { gateway, route, service } from '../support/config-builder';
import { freePort, tempDir } from '../support/processes';

const run = promisify(execFile);

/** curl's HTTP version, status, and the served certificate's subject CN (from its verbose output). */
async function curl(args: string[]): Promise<{ version: string; status: string; cn: string | null }> {
  const { stdout, stderr } = await run('curl', ['-skv', '--max-time', '10', '-o', '/dev/null', '-w', '%{http_version} %{http_code}', ...args]);
  const [version = '', status = ''] = stdout.split(' ');
  return { version, status, cn: /subject: .*CN ?= ?([^,;\s/]+)/.exec(stderr)?.[1] ?? null };
}

describe('data plane process: HTTP/2 and SNI certificates with proxy workers', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: BuiltDataPlane;
  let dir: string;
  let tlsPort: number;

  beforeAll(async () => {
    echo = await startEcho();
    dir = tempDir('gatehouse-h2-process-');
    const base = path.join(dir, 'api');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.crt`,
        '-days',
        '2',
        '-subj',
        '/CN=api.example.test',
      ],
      {
        stdio: 'ignore',
      },
    );
    const cert = {
      id: randomUUID(),
      cert: fs.readFileSync(`${base}.crt`, 'utf8'),
      key: fs.readFileSync(`${base}.key`, 'utf8'),
      cert_alt: null,
      key_alt: null,
      tags: [],
      created_at: 1,
      updated_at: 1,
    };
    const svc = service({ port: echo.port });
    writeConfigCache(
      dir,
      gateway({
        services: [svc],
        routes: [route({ service: svc, paths: ['/echo'] })],
        certificates: [cert],
        snis: [{ id: randomUUID(), name: '*.example.test', certificate: { id: cert.id }, tags: [], created_at: 1, updated_at: 1 }],
      }),
      3,
    );
    tlsPort = await freePort();
    const proxyPort = await freePort();
    dp = await startBuiltDataPlane(
      dir,
      makeCertificate(dir, 'cluster'),
      { GATEHOUSE_WORKERS: '2', GATEHOUSE_PROXY_LISTEN: `127.0.0.1:${proxyPort} http2`, GATEHOUSE_PROXY_TLS_LISTEN: `127.0.0.1:${tlsPort} http2 ssl` },
      30_000,
    );
    dp.proxy = proxyPort;
  });
  afterAll(async () => {
    await dp?.proc.stop();
    await echo?.close();
  });

  it('serves HTTP/2 over TLS with the SNI certificate from the cached config, in every worker', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await curl(['--http2', '--resolve', `api.example.test:${tlsPort}:127.0.0.1`, `https://api.example.test:${tlsPort}/echo`]);
      expect(r).toEqual({ version: '2', status: '200', cn: 'api.example.test' });
    }
  });

  it('serves the default certificate generated once into the DP dir (the same in both workers)', async () => {
    const pem = fs.readFileSync(path.join(dir, 'tls', 'default.crt'), 'utf8');
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
    expect(fs.statSync(path.join(dir, 'tls', 'default.key')).mode & 0o777).toBe(0o600);
    for (let i = 0; i < 4; i++) {
      const r = await curl(['--http2', '--resolve', `other.test:${tlsPort}:127.0.0.1`, `https://other.test:${tlsPort}/echo`]);
      expect(r).toEqual({ version: '2', status: '200', cn: 'localhost' });
    }
  });

  it('speaks cleartext HTTP/2 with prior knowledge and HTTP/1.1 on the plain http2 listener', async () => {
    expect(await curl(['--http2-prior-knowledge', `http://127.0.0.1:${dp.proxy}/echo`])).toMatchObject({ version: '2', status: '200' });
    expect(await curl([`http://127.0.0.1:${dp.proxy}/echo`])).toMatchObject({ version: '1.1', status: '200' });
  });
});
