import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { checkIssuedCertificate, createRenewalRequest, installRenewedPair, needsRenewal, RENEW_BEFORE_MS } from './renewal';
import { loadTlsMaterial, renewedPaths } from './tls-material';
import { prepareFileDurable } from '@gatehouse/protocol/node';

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 3600 * 1000;

async function keyPair(): Promise<webcrypto.CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
}

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key)).toString('base64');
  return `-----BEGIN PRIVATE KEY-----\n${der.match(/.{1,64}/g)?.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/** A real CA signing real leaf certificates, as the CP's group CA does. */
async function testCa() {
  const keys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=test group CA',
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 3650 * DAY),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  let serial = 2;
  return {
    async issue(publicKey: webcrypto.CryptoKey, days: number): Promise<string> {
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: (serial++).toString(16).padStart(2, '0'),
        subject: 'CN=Gatehouse data plane, OU=group',
        issuer: ca.subject,
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + days * DAY),
        signingKey: keys.privateKey,
        publicKey,
        signingAlgorithm: alg,
      });
      return cert.toString('pem');
    },
  };
}

async function writeLeaf(dir: string, ca: Awaited<ReturnType<typeof testCa>>, days: number) {
  const keys = await keyPair();
  const certPath = path.join(dir, 'cluster.crt');
  const keyPath = path.join(dir, 'cluster.key');
  fs.writeFileSync(certPath, await ca.issue(keys.publicKey, days));
  fs.writeFileSync(keyPath, await pkcs8Pem(keys.privateKey), { mode: 0o600 });
  return { certPath, keyPath };
}

describe('automatic certificate renewal', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-renewal-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('renews only when less than 30 days are left', () => {
    const now = Date.now();
    expect(needsRenewal(new Date(now + RENEW_BEFORE_MS - 1000), now)).toBe(true);
    expect(needsRenewal(new Date(now + RENEW_BEFORE_MS + 60_000), now)).toBe(false);
    expect(needsRenewal(new Date(now - 1000), now)).toBe(true);
  });

  it('builds a self-signed CSR for a new key with the current subject, then installs the issued pair atomically (key 0600)', async () => {
    const ca = await testCa();
    const paths = await writeLeaf(dir, ca, 10);
    const material = loadTlsMaterial({ ...paths, dpDir: dir });
    const request = await createRenewalRequest(material.cert);
    const csr = new x509.Pkcs10CertificateRequest(request.csr);
    expect(await csr.verify()).toBe(true);
    expect(csr.subject).toBe('CN=Gatehouse data plane, OU=group');

    const issued = await ca.issue(await csr.publicKey.export(alg, ['verify']), 180);
    checkIssuedCertificate(issued, request.key, material);
    const written = await installRenewedPair(issued, request.key, material, dir);
    expect(written).toEqual({ ...paths, fallback: false });
    expect(fs.readFileSync(paths.certPath, 'utf8')).toBe(issued);
    expect(fs.readFileSync(paths.keyPath, 'utf8')).toBe(request.key);
    expect(fs.statSync(paths.keyPath).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(loadTlsMaterial({ ...paths, dpDir: dir }).notAfter.getTime()).toBeGreaterThan(Date.now() + 170 * DAY);
  });

  it('refuses a certificate issued for another key', async () => {
    const ca = await testCa();
    const paths = await writeLeaf(dir, ca, 10);
    const material = loadTlsMaterial({ ...paths, dpDir: dir });
    const request = await createRenewalRequest(material.cert);
    const other = await ca.issue((await keyPair()).publicKey, 180);
    expect(() => checkIssuedCertificate(other, request.key, material)).toThrow('not for the key');
  });

  it('falls back to the DP dir when the configured files cannot be replaced, and prefers that pair afterwards', async () => {
    const ca = await testCa();
    const paths = await writeLeaf(dir, ca, 10);
    const material = loadTlsMaterial({ ...paths, dpDir: dir });
    // A path under a missing directory cannot be written, like a read-only mount.
    const unwritable = { ...material, certPath: path.join(dir, 'missing', 'c.crt'), keyPath: path.join(dir, 'missing', 'c.key') };
    const request = await createRenewalRequest(material.cert);
    const csr = new x509.Pkcs10CertificateRequest(request.csr);
    const issued = await ca.issue(await csr.publicKey.export(alg, ['verify']), 180);
    const written = await installRenewedPair(issued, request.key, unwritable, dir);
    expect(written).toEqual({ ...renewedPaths(dir), fallback: true });
    expect(fs.statSync(written.keyPath).mode & 0o777).toBe(0o600);
    const reloaded = loadTlsMaterial({ ...paths, dpDir: dir });
    expect(reloaded.certPath).toBe(renewedPaths(dir).certPath);
    expect(reloaded.cert).toBe(issued);
  });

  it('finishes a renewal cut between its two renames: the new key with the old certificate becomes the new pair whole', async () => {
    const ca = await testCa();
    const paths = await writeLeaf(dir, ca, 10);
    const material = loadTlsMaterial({ ...paths, dpDir: dir });
    const request = await createRenewalRequest(material.cert);
    const csr = new x509.Pkcs10CertificateRequest(request.csr);
    const issued = await ca.issue(await csr.publicKey.export(alg, ['verify']), 180);
    // What installRenewedPair does up to a kill between the renames: both prepared, only the key renamed.
    const key = await prepareFileDurable(paths.keyPath, request.key, { mode: 0o600 });
    await prepareFileDurable(paths.certPath, issued, { mode: 0o644 });
    await key.commit();
    expect(fs.readFileSync(paths.certPath, 'utf8')).toBe(material.cert);

    const reloaded = loadTlsMaterial({ ...paths, dpDir: dir });
    expect(reloaded.cert).toBe(issued);
    expect(reloaded.key).toBe(request.key);
    expect(fs.statSync(paths.certPath).mode & 0o777).toBe(0o644);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('removes the temporary key a renewal killed before its renames left, once it is over a minute old', async () => {
    const ca = await testCa();
    const paths = await writeLeaf(dir, ca, 10);
    const left = path.join(dir, `.cluster.key.${process.pid + 1}.1.0a0b.tmp`);
    fs.writeFileSync(left, 'half a key', { mode: 0o600 });
    loadTlsMaterial({ ...paths, dpDir: dir });
    expect(fs.existsSync(left)).toBe(true);
    fs.utimesSync(left, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    loadTlsMaterial({ ...paths, dpDir: dir });
    expect(fs.existsSync(left)).toBe(false);
  });
});
