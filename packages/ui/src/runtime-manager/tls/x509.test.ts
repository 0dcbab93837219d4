import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarizeCertificate } from './x509';

/** A self-signed certificate made by openssl with `args` (key options), its subject and SANs. */
function openssl(keyArgs: string[], subject: string, san?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-x509-'));
  try {
    const extra = san ? ['-addext', `subjectAltName=${san}`] : [];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-nodes',
        ...keyArgs,
        '-keyout',
        path.join(dir, 'k.pem'),
        '-out',
        path.join(dir, 'c.pem'),
        '-days',
        '5',
        '-subj',
        subject,
        ...extra,
        '-utf8',
      ],
      {
        stdio: 'ignore',
      },
    );
    return fs.readFileSync(path.join(dir, 'c.pem'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('summarizeCertificate (the UI reads subject, DNS names and key type from a PEM)', () => {
  it('reads an ECDSA certificate with subjectAltName DNS names and an IP', () => {
    const pem = openssl(
      ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
      '/O=Acme Ltd/CN=shop.example.test',
      'DNS:shop.example.test,DNS:*.shop.example.test,IP:10.0.0.1',
    );
    expect(summarizeCertificate(pem)).toEqual({
      subject: 'CN=shop.example.test, O=Acme Ltd',
      commonName: 'shop.example.test',
      dnsNames: ['shop.example.test', '*.shop.example.test'],
      keyType: 'ECDSA',
    });
  });

  it('reads an RSA certificate without SANs, a UTF-8 name, and the first block of a chain', () => {
    const pem = openssl(['-newkey', 'rsa:2048'], '/CN=café.example.test');
    const summary = summarizeCertificate(`${pem}\n${pem}`);
    expect(summary).toEqual({ subject: 'CN=café.example.test', commonName: 'café.example.test', dnsNames: [], keyType: 'RSA' });
  });

  it('answers null for text that is not a certificate, or a damaged one', () => {
    expect(summarizeCertificate('hello')).toBeNull();
    expect(summarizeCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toBeNull();
    const pem = openssl(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], '/CN=a.test');
    const body = pem.split('\n').slice(1, 4).join('\n');
    expect(summarizeCertificate(`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`)).toBeNull();
  });
});
