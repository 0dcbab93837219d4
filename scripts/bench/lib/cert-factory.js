'use strict';
/**
 * Many certificates for the SNI benchmark: one self-signed ECDSA P-256
 * certificate and key per name (CN and subjectAltName the name), made with
 * openssl two at a time into `dir`. Resolves `[{name, cert, key}]` in PEM.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFile } = require('node:child_process');

function makeOne(dir, name) {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '2'];
  args.push('-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`);
  return new Promise((resolve, reject) => {
    execFile('openssl', args, (err, _out, stderr) => {
      if (err) return reject(new Error(`openssl for ${name} failed: ${stderr}`));
      resolve({ name, cert: fs.readFileSync(cert, 'utf8'), key: fs.readFileSync(key, 'utf8') });
    });
  });
}

async function makeCertificates(dir, names, parallel = 2) {
  const out = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      out[i] = await makeOne(dir, names[i]);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

module.exports = { makeCertificates };
