import type { Logger } from 'pino';
import type { DpMessage } from '@gatehouse/protocol';
import { checkIssuedCertificate, createRenewalRequest, installRenewedPair, needsRenewal } from './renewal';
import type { ClusterTlsMaterial } from './tls-material';

/** How long the CP gets to answer a `cert_renew`, and how long to wait after a refusal before asking again. */
const ANSWER_TIMEOUT_MS = 60_000;
const RETRY_AFTER_MS = 3600_000;
/** The error codes the CP answers a `cert_renew` with (docs/CLUSTER.md, Messages). */
const RENEWAL_ERRORS = new Set(['renewal_refused', 'invalid_csr']);

interface Pending {
  key: string;
  material: ClusterTlsMaterial;
  timer: NodeJS.Timeout;
}

/**
 * Automatic certificate renewal over the cluster connection. When the
 * certificate in use has less than 30 days left (the CP's renewal window:
 * it refuses earlier requests, and renews each certificate once), it generates a key, sends a
 * CSR (`cert_renew`) and, on `cert_issued`, checks the certificate is for that
 * key and installs the pair atomically. At most one request is in flight; a
 * refusal or failure waits an hour before the next try, while a dropped
 * connection simply lets the next connection ask again.
 */
export class CertificateRenewer {
  /** True from the moment a request is being built until it is answered or dropped. */
  private inFlight = false;
  private pending: Pending | null = null;
  private blockedUntil = 0;

  constructor(
    private readonly dpDir: string,
    private readonly log: Logger,
  ) {}

  /** Asks for a new certificate when `material` needs one and no attempt is running or recently refused. */
  async check(material: ClusterTlsMaterial, send: (message: DpMessage) => boolean, now = Date.now()): Promise<void> {
    if (this.inFlight || now < this.blockedUntil || !needsRenewal(material.notAfter, now)) return;
    this.inFlight = true;
    try {
      const request = await createRenewalRequest(material.cert);
      if (!send({ type: 'cert_renew', csr: request.csr })) {
        this.clear();
        return;
      }
      const timer = setTimeout(() => this.refused('the control plane did not answer the renewal request'), ANSWER_TIMEOUT_MS);
      timer.unref();
      this.pending = { key: request.key, material, timer };
      this.log.info(
        { event: 'cert_renewal_requested', cert_not_after: material.notAfter.toISOString() },
        'cluster certificate expires soon: asking for a new one',
      );
    } catch (err) {
      this.refused(`could not build the renewal request: ${(err as Error).message}`);
    }
  }

  /**
   * Installs an issued certificate. Answers true when the new pair is on disk
   * and the client should reconnect with it.
   */
  async onIssued(cert: string): Promise<boolean> {
    const pending = this.pending;
    if (!pending) {
      this.log.warn({ event: 'cert_issued_unexpected' }, 'ignoring a certificate this node did not ask for');
      return false;
    }
    this.clear();
    try {
      const issued = checkIssuedCertificate(cert, pending.key, pending.material);
      const written = await installRenewedPair(cert, pending.key, pending.material, this.dpDir);
      this.log.info(
        {
          event: 'cert_renewed',
          cert_not_after: new Date(issued.validTo).toISOString(),
          cert_path: written.certPath,
          key_path: written.keyPath,
          fallback: written.fallback,
        },
        `cluster certificate renewed until ${new Date(issued.validTo).toISOString()}`,
      );
      return true;
    } catch (err) {
      this.refused(`could not install the renewed certificate: ${(err as Error).message}`);
      return false;
    }
  }

  /**
   * The CP answered an error. Only the answers to `cert_renew` (`renewal_refused`,
   * `invalid_csr`) end a request in flight: the refusal is logged with the
   * CP's reason and the next try waits an hour; the connection goes on.
   */
  onError(code: string, message: string): void {
    if (this.inFlight && RENEWAL_ERRORS.has(code)) this.refused(`the control plane refused to renew the certificate (${code}): ${message}`);
  }

  /** The connection ended: an unanswered request is dropped, and the next connection may ask again. */
  onDisconnect(): void {
    this.clear();
  }

  private refused(reason: string): void {
    this.clear();
    this.blockedUntil = Date.now() + RETRY_AFTER_MS;
    this.log.warn({ event: 'cert_renewal_failed', error: reason, retry_at: new Date(this.blockedUntil).toISOString() }, `${reason}; asking again later`);
  }

  private clear(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = null;
    this.inFlight = false;
  }
}
