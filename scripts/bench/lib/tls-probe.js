'use strict';
/**
 * What a TLS listener negotiates: one handshake to 127.0.0.1:`port` with the
 * ALPN protocols and SNI given; resolves `{protocol, alpn, subject}` (TLS
 * version, the ALPN protocol chosen or false, the certificate's CN). The
 * benchmarks' certificates are self-signed, so the chain is not verified.
 */
const tls = require('node:tls');

function probeTls(port, { alpn = ['http/1.1'], servername = 'localhost', timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ALPNProtocols: alpn, rejectUnauthorized: false });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`TLS handshake with 127.0.0.1:${port} timed out`)));
    socket.once('secureConnect', () => {
      const answer = { protocol: socket.getProtocol(), alpn: socket.alpnProtocol, subject: socket.getPeerCertificate().subject?.CN ?? null };
      socket.destroy();
      resolve(answer);
    });
    socket.once('error', reject);
  });
}

module.exports = { probeTls };
