import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { applyConfig, makeCertificate, startEcho, startTestDataPlane } from './support';
import { gateway, route, service } from '../support/config-builder';
import type { DataPlane } from '../../packages/data-plane/src/data-plane';
import type { GatewayConfig } from '../../packages/protocol/src';
import { tempDir } from '../support/processes';

const run = promisify(execFile);
const dir = tempDir('gatehouse-sni-');

/** A self-signed certificate for `cn`, RSA or ECDSA P-256, as PEM strings (made with openssl). */
function pem(cn: string, kind: 'rsa' | 'ec'): { cert: string; key: string } {
  const base = path.join(dir, `${cn.replace(/\*/g, 'star')}-${kind}-${randomUUID()}`);
  const keyArgs = kind === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  execFileSync('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', `${base}.key`, '-out', `${base}.crt`, '-days', '2', '-subj', `/CN=${cn}`], {
    stdio: 'ignore',
  });
  return { cert: fs.readFileSync(`${base}.crt`, 'utf8'), key: fs.readFileSync(`${base}.key`, 'utf8') };
}

type Certificate = GatewayConfig['certificates'][number];
type Sni = GatewayConfig['snis'][number];

function certificate(main: { cert: string; key: string }, alt?: { cert: string; key: string }): Certificate {
  return { id: randomUUID(), cert: main.cert, key: main.key, cert_alt: alt?.cert ?? null, key_alt: alt?.key ?? null, tags: [], created_at: 1, updated_at: 1 };
}

function sni(name: string, cert: Certificate): Sni {
  return { id: randomUUID(), name, certificate: { id: cert.id }, tags: [], created_at: 1, updated_at: 1 };
}

/** The subject CN of the certificate the TLS listener serves for `servername`, as curl sees it (`--resolve`, real SNI). */
async function servedCn(port: number, servername: string): Promise<string> {
  const { stderr } = await run('curl', ['-skv', '--max-time', '10', '--resolve', `${servername}:${port}:127.0.0.1`, `https://${servername}:${port}/nothing`]);
  const m = /subject: .*CN ?= ?([^,;\s/]+)/.exec(stderr);
  if (!m?.[1]) throw new Error(`no subject in curl's output:\n${stderr}`);
  return m[1];
}

/** The certificate's key type and CN as `openssl s_client` gets it offering only `sigalgs`. */
async function servedWith(port: number, servername: string, sigalgs: string): Promise<{ cn: string; type: string }> {
  const { stdout } = await run('sh', [
    '-c',
    `openssl s_client -connect 127.0.0.1:${port} -servername ${servername} -sigalgs '${sigalgs}' </dev/null 2>/dev/null`,
  ]);
  const cn = /subject=.*CN ?= ?([^,\s/]+)/.exec(stdout)?.[1] ?? '';
  const type = /Server public key is \d+ bit/.test(stdout) ? (/Peer signature type: (\S+)/.exec(stdout)?.[1] ?? '') : '';
  return { cn, type };
}

describe('proxy: TLS certificate selection by SNI (Kong: exact, *.leading, trailing.*, then the default)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let dp: DataPlane;
  let withDefault: DataPlane;
  const exact = certificate(pem('exact.test', 'rsa'));
  const leading = certificate(pem('leading-wildcard', 'rsa'));
  const trailing = certificate(pem('trailing-wildcard', 'rsa'));
  const dual = certificate(pem('dual-rsa', 'rsa'), pem('dual-ecdsa', 'ec'));
  let base: GatewayConfig;

  beforeAll(async () => {
    echo = await startEcho();
    dp = await startTestDataPlane({ GATEHOUSE_PROXY_TLS_LISTEN: '127.0.0.1:0 http2' });
    const given = makeCertificate(dir, 'given-default');
    withDefault = await startTestDataPlane({
      GATEHOUSE_PROXY_TLS_LISTEN: '127.0.0.1:0',
      GATEHOUSE_PROXY_TLS_CERT: given.cert,
      GATEHOUSE_PROXY_TLS_CERT_KEY: given.key,
    });
    const svc = service({ port: echo.port });
    base = gateway({
      services: [svc],
      routes: [route({ service: svc, paths: ['/echo'] }), route({ service: svc, paths: ['/only-exact'], protocols: ['https'], snis: ['exact.test'] })],
      certificates: [exact, leading, trailing, dual],
      snis: [sni('exact.test', exact), sni('*.wild.test', leading), sni('trail.*', trailing), sni('dual.test', dual)],
    });
    applyConfig(dp, base);
    applyConfig(withDefault, base);
  });
  afterAll(async () => {
    await dp.stop();
    await withDefault.stop();
    await echo.close();
  });

  it('serves the exact name, then a leading wildcard, then a trailing one', async () => {
    const port = dp.proxyTlsPort ?? 0;
    expect(await servedCn(port, 'exact.test')).toBe('exact.test');
    expect(await servedCn(port, 'EXACT.test')).toBe('exact.test');
    expect(await servedCn(port, 'api.wild.test')).toBe('leading-wildcard');
    // One label only, as Kong: a.b.wild.test is looked up as *.b.wild.test.
    expect(await servedCn(port, 'a.b.wild.test')).toBe('localhost');
    expect(await servedCn(port, 'trail.example')).toBe('trailing-wildcard');
  });

  it('falls back to the generated self-signed default, or to GATEHOUSE_PROXY_TLS_CERT when given', async () => {
    expect(await servedCn(dp.proxyTlsPort ?? 0, 'unknown.test')).toBe('localhost');
    expect(await servedCn(withDefault.proxyTlsPort ?? 0, 'unknown.test')).toBe('given-default');
    expect(await servedCn(withDefault.proxyTlsPort ?? 0, 'exact.test')).toBe('exact.test');
  });

  it('serves the ECDSA or the RSA chain of a certificate with cert_alt by what the client offers', async () => {
    const port = dp.proxyTlsPort ?? 0;
    expect(await servedWith(port, 'dual.test', 'ECDSA+SHA256')).toEqual({ cn: 'dual-ecdsa', type: 'ECDSA' });
    expect(await servedWith(port, 'dual.test', 'RSA-PSS+SHA256:RSA+SHA256')).toEqual({ cn: 'dual-rsa', type: 'RSA-PSS' });
  });

  it('matches route snis by the server name over HTTP/2 as over HTTP/1.1', async () => {
    const port = dp.proxyTlsPort ?? 0;
    const status = async (args: string[], name: string): Promise<string> =>
      (
        await run('curl', [
          '-sk',
          '-o',
          '/dev/null',
          '-w',
          '%{http_version} %{http_code}',
          ...args,
          '--resolve',
          `${name}:${port}:127.0.0.1`,
          `https://${name}:${port}/only-exact`,
        ])
      ).stdout;
    expect(await status(['--http2'], 'exact.test')).toBe('2 200');
    expect(await status(['--http1.1'], 'exact.test')).toBe('1.1 200');
    expect(await status(['--http2'], 'api.wild.test')).toBe('2 404');
  });

  it('swaps a certificate with a config change; a keep-alive connection made before stays up', async () => {
    const port = dp.proxyTlsPort ?? 0;
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
    const get = (): Promise<{ cn: string; socket: unknown; status: number }> =>
      new Promise((resolve, reject) => {
        const req = https.get({ host: '127.0.0.1', port, servername: 'exact.test', path: '/echo', agent, headers: { host: 'exact.test' } }, (res) => {
          const socket = res.socket;
          const cn = socket instanceof TLSSocket ? String(socket.getPeerCertificate().subject.CN) : '';
          res.resume();
          res.on('end', () => resolve({ cn, socket, status: res.statusCode ?? 0 }));
        });
        req.on('error', reject);
      });
    try {
      const first = await get();
      expect(first).toMatchObject({ cn: 'exact.test', status: 200 });
      const rotated = certificate(pem('exact.test-rotated', 'ec'));
      applyConfig(
        dp,
        { ...base, certificates: [...base.certificates, rotated], snis: base.snis.map((s) => (s.name === 'exact.test' ? sni('exact.test', rotated) : s)) },
        2,
      );
      const again = await get();
      expect(again.socket).toBe(first.socket);
      expect(again).toMatchObject({ cn: 'exact.test', status: 200 });
      expect(await servedCn(port, 'exact.test')).toBe('exact.test-rotated');
    } finally {
      agent.destroy();
      applyConfig(dp, base, 3);
    }
  });
});
