/** Why an upstream attempt failed; decides the answer (502/503/504) and whether to retry. */
/**
 * `no_peer`: the service's upstream has no target that can take the request (balancer/).
 * `tls`: the TLS handshake with the upstream failed (its certificate not verified, too deep a chain, a
 * client certificate it wanted and did not get).
 */
export type UpstreamFailure = 'refused' | 'reset' | 'dns' | 'connect_timeout' | 'write_timeout' | 'read_timeout' | 'no_peer' | 'tls' | 'error';

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL']);

/** OpenSSL's certificate verification results as Node names them (others start with ERR_TLS_ or ERR_SSL_). */
const TLS_VERIFY_ERRORS = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

/** An Error carrying a code, for the timeouts the proxy enforces itself. */
export function timeoutError(code: string, message: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(message);
  err.code = code;
  return err;
}

/**
 * Classifies an upstream error: socket errors by their errno code, undici's
 * by theirs (connect timeout, response head or body timeout, a socket closed
 * under a request), TLS handshake failures by OpenSSL's verify codes and
 * Node's ERR_TLS_/ERR_SSL_ codes, the proxy's own timeouts by the code `timeoutError` gave them.
 */
export function classifyFailure(err: Error): UpstreamFailure {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'GATEHOUSE_CONNECT_TIMEOUT') return 'connect_timeout';
  if (code === 'GATEHOUSE_WRITE_TIMEOUT') return 'write_timeout';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'read_timeout';
  if (CONNECT_ERRORS.has(code)) return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (TLS_VERIFY_ERRORS.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) return 'tls';
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'reset';
  return 'error';
}

/** The gateway answer for a failure that used up its tries: Kong's statuses. */
export function failureStatus(f: UpstreamFailure): 502 | 503 | 504 {
  if (f === 'connect_timeout' || f === 'write_timeout' || f === 'read_timeout') return 504;
  if (f === 'dns' || f === 'no_peer') return 503;
  return 502;
}
