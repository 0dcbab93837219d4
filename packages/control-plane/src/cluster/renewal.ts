import type { SecretKey } from '../certificates/key-encryption';
import { signCsr } from '../certificates/issue';
import { CsrError } from '../certificates/pki';
import type { Db } from '../database/client';

/** The CP's answer to `cert_renew`: the signed certificate, or an `error` naming what was wrong with the CSR. */
export type RenewalAnswer =
  | { type: 'cert_issued'; cert: string; not_after: string; certificateId: string }
  | { type: 'error'; code: 'invalid_csr'; message: string };

/**
 * Signs a DP's renewal CSR with its group's CA (the group its current
 * certificate proved). Only CSR problems become an answer; anything else
 * (database down) is thrown, so the DP hears nothing and asks again later.
 */
export async function answerRenewal(db: Db, runtimeGroupId: string, secretKey: SecretKey, csr: string): Promise<RenewalAnswer> {
  try {
    const signed = await signCsr(db, runtimeGroupId, secretKey, csr);
    return { type: 'cert_issued', cert: signed.cert, not_after: signed.not_after.toISOString(), certificateId: signed.id };
  } catch (err) {
    if (err instanceof CsrError) return { type: 'error', code: 'invalid_csr', message: err.message };
    throw err;
  }
}
