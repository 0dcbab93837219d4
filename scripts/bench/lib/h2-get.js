'use strict';
/**
 * One GET over HTTP/2 (node:http2): TLS with ALPN h2 for an https URL,
 * cleartext with prior knowledge for an http one; the benchmarks'
 * self-signed certificates accepted. Resolves `{status, body}` within `timeoutMs`.
 */
const http2 = require('node:http2');

function getH2(url, headers = {}, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url, { rejectUnauthorized: false });
    const fail = (err) => {
      session.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`HTTP/2 GET ${url} timed out`)), timeoutMs);
    session.once('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    const u = new URL(url);
    const req = session.request({ ':path': u.pathname + u.search, ...headers });
    let status = 0;
    let body = '';
    req.setEncoding('utf8');
    req.once('response', (h) => (status = h[':status']));
    req.on('data', (c) => (body += c));
    req.once('end', () => {
      clearTimeout(timer);
      session.close();
      resolve({ status, body });
    });
    req.once('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
  });
}

module.exports = { getH2 };
