import { createPrivateKey } from 'node:crypto';
import tls from 'node:tls';

/** A certificate chain and its key, PEM. */
export interface PemPair {
  cert: string;
  key: string;
}

/** The key types a certificate pair can be served for. */
export type KeyType = 'ec' | 'rsa';

/**
 * A certificate as the TLS listener serves it: one SecureContext per key
 * type of its pairs (Kong's `cert` and `cert_alt`: an RSA and an ECDSA one).
 * Each context holds a single certificate, because Node installs only one
 * certificate of the context an SNI selects; which one is chosen per
 * connection from what the client offers (tls/key-choice.ts).
 */
export class ServedCertificate {
  private readonly byType = new Map<KeyType, tls.SecureContext>();
  private readonly first: tls.SecureContext;

  /** Throws when a pair does not load (a bad PEM, a key that does not match). */
  constructor(pairs: readonly PemPair[]) {
    let first: tls.SecureContext | null = null;
    for (const pair of pairs) {
      const type: KeyType = createPrivateKey(pair.key).asymmetricKeyType === 'ec' ? 'ec' : 'rsa';
      const context = tls.createSecureContext({ cert: pair.cert, key: pair.key });
      first ??= context;
      if (!this.byType.has(type)) this.byType.set(type, context);
    }
    if (first === null) throw new Error('no certificate');
    this.first = first;
  }

  /** The context for a client that prefers `preferred` (null: no preference known): that type when this certificate has it, else its first pair. */
  pick(preferred: KeyType | null): tls.SecureContext {
    if (preferred !== null) {
      const match = this.byType.get(preferred);
      if (match !== undefined) return match;
    }
    return this.byType.get('rsa') ?? this.first;
  }
}
