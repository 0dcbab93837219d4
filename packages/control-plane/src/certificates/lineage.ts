import { DP_CERT_RENEWAL_WINDOW_DAYS } from '@gatehouse/protocol';
import type { Prisma } from '../generated/prisma/client';

type Tx = Prisma.TransactionClient;

const DAY_MS = 86_400_000;

/** Why a certificate may not be renewed now (docs/CLUSTER.md, Renewal). */
export type RenewalRefusal =
  { refused: 'not_found' } | { refused: 'revoked' } | { refused: 'already_renewed'; renewalId: string } | { refused: 'outside_window'; opensAt: Date };

/** The parent as the renewal rules need it. */
export interface RenewalParent {
  id: string;
  certPem: string;
  notAfter: Date;
  revokedAt: Date | null;
  renewal: { id: string } | null;
}

/** When a certificate expiring at `notAfter` enters its renewal window. */
export function renewalOpensAt(notAfter: Date): Date {
  return new Date(notAfter.getTime() - DP_CERT_RENEWAL_WINDOW_DAYS * DAY_MS);
}

/**
 * Takes the runtime group's certificate lock for the rest of the transaction.
 * Renewals and revocations of one group take turns on it, so a renewal never
 * slips a child under a parent being revoked (the revocation's next statement
 * sees every committed child), and two racing renewals of one certificate
 * cannot both pass the "renewed once" check. The unique parent_id is the backstop.
 */
export async function lockGroupCertificates(tx: Tx, runtimeGroupId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`gatehouse_dp_certificates:${runtimeGroupId}`}, 0))`;
}

/** Reads the certificate to renew, with its renewal if any; call under lockGroupCertificates. */
export function findRenewalParent(tx: Tx, runtimeGroupId: string, certificateId: string): Promise<RenewalParent | null> {
  return tx.dpCertificate.findFirst({
    where: { id: certificateId, runtimeGroupId },
    select: { id: true, certPem: true, notAfter: true, revokedAt: true, renewal: { select: { id: true } } },
  });
}

/**
 * The renewal rules: a revoked certificate is never renewed; a certificate is
 * renewed at most once; and, when `window` is set (a DP asking over its
 * connection), only within its last DP_CERT_RENEWAL_WINDOW_DAYS days of
 * validity. Answers the refusal, or undefined when renewal may go ahead.
 */
export function renewalRefusal(parent: RenewalParent | null, window: boolean, now: Date): RenewalRefusal | undefined {
  if (!parent) return { refused: 'not_found' };
  if (parent.revokedAt) return { refused: 'revoked' };
  if (parent.renewal) return { refused: 'already_renewed', renewalId: parent.renewal.id };
  const opensAt = renewalOpensAt(parent.notAfter);
  if (window && now < opensAt) return { refused: 'outside_window', opensAt };
  return undefined;
}

/** A sentence for a refusal, as sent to a DP and logged by it. */
export function describeRefusal(r: RenewalRefusal): string {
  switch (r.refused) {
    case 'not_found':
      return 'the client certificate is no longer known to the control plane';
    case 'revoked':
      return 'the client certificate has been revoked';
    case 'already_renewed':
      return `this certificate was already renewed (certificate ${r.renewalId}), and each certificate is renewed once; connect with that one, or issue a new certificate if this node never received it`;
    case 'outside_window':
      return `renewal opens ${DP_CERT_RENEWAL_WINDOW_DAYS} days before the certificate expires, at ${r.opensAt.toISOString()}`;
  }
}
