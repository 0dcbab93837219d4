import { stateKeyOf, type DeclarativeState } from '../declarative/state';
import { checkCaCertificate, checkCertificate } from './inspect';
import { jwtPublicKeyProblem } from '../jwt-public-key';

const isReference = (v: unknown): boolean => typeof v === 'string' && v.trimStart().startsWith('{vault://');

/**
 * The checks of a file's TLS entities that need node:crypto, as the API
 * makes them (Kong's words): each certificate's PEM parses and its keys
 * match, CA certificates are CAs and not expired. A CA certificate gets its
 * `cert_digest` computed (Kong's on-write transformation), so it compares
 * with the stored one. Answers the state and the problems by file path.
 */
export function checkFileTls(
  desired: DeclarativeState,
  nowSeconds = Math.floor(Date.now() / 1000),
): { state: DeclarativeState; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  for (const e of desired.certificates) {
    const f = e.fields;
    if ([f.cert, f.key, f.cert_alt, f.key_alt].some(isReference)) continue;
    for (const [field, why] of Object.entries(checkCertificate(f).problems)) problems[`${e.source ?? 'certificates'}.${field}`] = why;
  }
  for (const e of desired.jwt_secrets) {
    const why = jwtPublicKeyProblem(e.fields.algorithm, e.fields.rsa_public_key);
    if (why !== null) problems[`${e.source ?? 'jwt_secrets'}.rsa_public_key`] = why;
  }
  const ca_certificates = desired.ca_certificates.map((e) => {
    const checked = checkCaCertificate(e.fields.cert, nowSeconds);
    if ('problem' in checked) {
      problems[`${e.source ?? 'ca_certificates'}.cert`] = checked.problem;
      return e;
    }
    const fields = { ...e.fields, cert_digest: checked.digest };
    return { ...e, key: stateKeyOf('ca_certificates', fields), fields };
  });
  return { state: { ...desired, ca_certificates }, problems };
}
