import type { Db } from '../database/client';
import { openPrivateKey, sealPrivateKey, type SecretKey } from './key-encryption';
import { createAuthority, generateKeyPair, loadAuthority, signLeaf, type Authority } from './pki';

/** The cluster_ca row holding the installation's cluster CA. */
const CLUSTER_CA_ID = 'cluster';
const CA_VALIDITY_DAYS = 3650;
const LISTENER_VALIDITY_DAYS = 397;

/**
 * Loads the installation's cluster CA, creating it on first use. Several CP
 * processes may start at once: each may generate a candidate, but the insert
 * is `ON CONFLICT DO NOTHING` and everyone then reads the one row that won, so
 * there is only ever one cluster CA.
 */
export async function loadClusterCa(db: Db, secretKey: SecretKey): Promise<Authority> {
  let row = await db.clusterCa.findUnique({ where: { id: CLUSTER_CA_ID } });
  if (!row) {
    const { authority, privateKeyPem } = await createAuthority('CN=Gatehouse cluster CA, O=Gatehouse', CA_VALIDITY_DAYS);
    await db.$executeRaw`INSERT INTO cluster_ca (id, cert_pem, key_enc) VALUES (${CLUSTER_CA_ID}, ${authority.certPem}, ${sealPrivateKey(privateKeyPem, secretKey)})
      ON CONFLICT (id) DO NOTHING`;
    row = await db.clusterCa.findUniqueOrThrow({ where: { id: CLUSTER_CA_ID } });
  }
  return loadAuthority(row.certPem, openPrivateKey(row.keyEnc, secretKey));
}

/** The cluster CA certificate (PEM): what a DP is given as GATEHOUSE_CLUSTER_CA to verify the CP. */
export async function clusterCaCertPem(db: Db, secretKey: SecretKey): Promise<string> {
  return (await loadClusterCa(db, secretKey)).certPem;
}

/** A TLS identity for the cluster listener. */
export interface ListenerIdentity {
  certPem: string;
  keyPem: string;
  caPem: string;
  names: string[];
}

/**
 * Makes this CP process's cluster-listener certificate, signed by the cluster
 * CA, for `localhost`, `127.0.0.1`, `::1` and the host DPs are told to dial
 * (GATEHOUSE_CLUSTER_ADVERTISE). Made fresh at every start and never stored:
 * DPs trust the CA, not this certificate.
 */
export async function createListenerIdentity(db: Db, secretKey: SecretKey, advertiseHost: string): Promise<ListenerIdentity> {
  const ca = await loadClusterCa(db, secretKey);
  const { keys, privateKeyPem } = await generateKeyPair();
  const names = ['localhost', '127.0.0.1', '::1', advertiseHost.replace(/^\[|\]$/g, '')];
  const cert = await signLeaf(ca, keys.publicKey, 'CN=Gatehouse control plane, O=Gatehouse', LISTENER_VALIDITY_DAYS, { kind: 'server', names });
  return { certPem: cert.toString('pem'), keyPem: privateKeyPem, caPem: ca.certPem, names: [...new Set(names)] };
}

/** The host part of a `host:port` advertise address (IPv6 in brackets allowed). */
export function advertiseHost(advertise: string): string {
  const i = advertise.lastIndexOf(':');
  return (i > 0 ? advertise.slice(0, i) : advertise).replace(/^\[|\]$/g, '');
}
