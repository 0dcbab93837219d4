/**
 * What the certificate lists show of a PEM certificate — its subject, DNS
 * names and key type — read in the browser from the DER (the API answers
 * the PEM, as Kong's does, and nothing parsed from it but the expiry). A
 * small reader of the few X.509 fields needed, not a validator: the CP
 * checks certificates with OpenSSL when they are written.
 */

/** The first certificate of a PEM, summed up; null when it cannot be read. */
export interface CertificateSummary {
  /** The subject as `CN=…, O=…` (RFC 4514 order: most specific first). */
  subject: string;
  /** The subject's common name, or null when it has none. */
  commonName: string | null;
  /** The subjectAltName DNS names, in order. */
  dnsNames: string[];
  /** `RSA`, `ECDSA`, `Ed25519`, `Ed448` or `other`. */
  keyType: string;
}

interface Node {
  tag: number;
  /** Where the contents start and end in the buffer. */
  start: number;
  end: number;
}

/** One DER element at `at`; throws on a truncated or indefinite length. */
function read(der: Uint8Array, at: number): Node {
  const tag = der[at];
  let length = der[at + 1];
  if (tag === undefined || length === undefined) throw new Error('truncated');
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4) throw new Error('unsupported length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[start + i] ?? 0);
    start += bytes;
  }
  const end = start + length;
  if (end > der.length) throw new Error('truncated');
  return { tag, start, end };
}

/** The elements inside a constructed element. */
function children(der: Uint8Array, node: Node): Node[] {
  const out: Node[] = [];
  for (let at = node.start; at < node.end;) {
    const child = read(der, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

const hex = (der: Uint8Array, n: Node): string => Array.from(der.subarray(n.start, n.end), (b) => b.toString(16).padStart(2, '0')).join('');

/** The string value of a directory string or IA5String (BMPString is UTF-16BE). */
function text(der: Uint8Array, n: Node): string {
  const bytes = der.subarray(n.start, n.end);
  if (n.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
    return s;
  }
  return new TextDecoder(n.tag === 0x0c ? 'utf-8' : 'latin1').decode(bytes);
}

/** Short names of the attribute types a subject usually holds, by OID (hex of the DER). */
const ATTRIBUTES: Record<string, string> = {
  '550403': 'CN',
  '550406': 'C',
  '550407': 'L',
  '550408': 'ST',
  '55040a': 'O',
  '55040b': 'OU',
};

const KEY_TYPES: Record<string, string> = {
  '2a864886f70d010101': 'RSA',
  '2a864886f70d01010a': 'RSA',
  '2a8648ce3d0201': 'ECDSA',
  '2b6570': 'Ed25519',
  '2b6571': 'Ed448',
};

const SUBJECT_ALT_NAME = '551d11';

function pemDer(pem: string): Uint8Array | null {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!m?.[1]) return null;
  const binary = atob(m[1].replace(/\s+/g, ''));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Reads the subject, SAN DNS names and key type of the first certificate in `pem`. */
export function summarizeCertificate(pem: string): CertificateSummary | null {
  try {
    const der = pemDer(pem);
    if (!der) return null;
    const [tbsNode] = children(der, read(der, 0));
    if (!tbsNode) return null;
    const tbs = children(der, tbsNode);
    // An explicit version ([0]) comes first when present.
    const fields = tbs[0]?.tag === 0xa0 ? tbs.slice(1) : tbs;
    const [, , , , subjectNode, spki] = fields;
    if (!subjectNode || !spki) return null;

    const parts: string[] = [];
    let commonName: string | null = null;
    for (const rdn of children(der, subjectNode)) {
      for (const attr of children(der, rdn)) {
        const [type, value] = children(der, attr);
        if (!type || !value) continue;
        const oid = hex(der, type);
        const v = text(der, value);
        if (oid === '550403' && commonName === null) commonName = v;
        parts.push(`${ATTRIBUTES[oid] ?? oid}=${v}`);
      }
    }

    const algorithm = children(der, children(der, spki)[0] ?? spki)[0];
    const keyType = algorithm ? (KEY_TYPES[hex(der, algorithm)] ?? 'other') : 'other';

    const dnsNames: string[] = [];
    const extensions = fields.find((n) => n.tag === 0xa3);
    for (const ext of extensions ? children(der, children(der, extensions)[0] ?? extensions) : []) {
      const items = children(der, ext);
      if (!items[0] || hex(der, items[0]) !== SUBJECT_ALT_NAME) continue;
      const value = items[items.length - 1];
      if (!value) continue;
      const names = read(der, value.start);
      for (const name of children(der, names)) if (name.tag === 0x82) dnsNames.push(text(der, name));
    }
    return { subject: parts.reverse().join(', '), commonName, dnsNames, keyType };
  } catch {
    return null;
  }
}
