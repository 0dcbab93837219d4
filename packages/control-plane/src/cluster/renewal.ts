import type { SecretKey } from '../certificates/key-encryption';
import { renewDpCertificate } from '../certificates/issue';
import { describeRefusal } from '../certificates/lineage';
import { CsrError } from '../certificates/pki';
import type { Db } from '../database/client';

/** The CP's answer to `cert_renew`: the signed certificate, or an `error` saying why not. */
export type RenewalAnswer =
  { type: 'cert_issued'; cert: string; not_after: string; certificateId: string } | { type: 'error'; code: 'invalid_csr' | 'renewal_refused'; message: string };

/**
 * Renews the certificate a DP connected with, for the key of its CSR, signed
 * by the group's CA (the group that certificate proved). The renewal rules
 * (inside the window, once per certificate, never a revoked one) and CSR
 * problems become an answer; anything else (database down) is thrown, so the
 * DP hears nothing and asks again later.
 */
export async function answerRenewal(db: Db, runtimeGroupId: string, certificateId: string, secretKey: SecretKey, csr: string): Promise<RenewalAnswer> {
  try {
    const renewed = await renewDpCertificate(db, runtimeGroupId, certificateId, secretKey, { csrPem: csr });
    if ('refused' in renewed) return { type: 'error', code: 'renewal_refused', message: describeRefusal(renewed) };
    return { type: 'cert_issued', cert: renewed.cert, not_after: renewed.not_after.toISOString(), certificateId: renewed.id };
  } catch (err) {
    if (err instanceof CsrError) return { type: 'error', code: 'invalid_csr', message: err.message };
    throw err;
  }
}
