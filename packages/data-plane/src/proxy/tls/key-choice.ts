import { getExtensionData, type TlsClientHelloMessage } from 'read-tls-client-hello';
import type { KeyType } from './served-certificate';

/** TLS SignatureScheme values (RFC 8446 §4.2.3) by the key type that signs them. */
function keyTypeOf(scheme: number): KeyType | null {
  // ecdsa_secp256r1_sha256, _secp384r1_sha384, _secp521r1_sha512, ecdsa_sha1
  if (scheme === 0x0403 || scheme === 0x0503 || scheme === 0x0603 || scheme === 0x0203) return 'ec';
  // rsa_pkcs1_*, rsa_pss_rsae_*, rsa_pss_pss_*
  if ((scheme & 0xff) === 0x01 || (scheme >= 0x0804 && scheme <= 0x0806) || (scheme >= 0x0809 && scheme <= 0x080b)) return 'rsa';
  return null;
}

/**
 * The key type a client prefers its server's certificate in: the first
 * ECDSA or RSA scheme of its `signature_algorithms`, in the client's order
 * (as OpenSSL chooses among a server's certificates by default). Null when
 * it sends none (then the RSA certificate serves, TLS 1.2's default).
 */
export function preferredKeyType(hello: TlsClientHelloMessage): KeyType | null {
  const algorithms = getExtensionData(hello, 0x000d)?.algorithms;
  if (algorithms === undefined) return null;
  for (const scheme of algorithms) {
    const type = keyTypeOf(scheme);
    if (type !== null) return type;
  }
  return null;
}
