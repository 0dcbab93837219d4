import { expiryStateAt } from '@gatehouse/protocol';
import { checkCaCertificate, checkCertificate, pemNotAfter } from '@gatehouse/protocol/node';
import { schemaViolation } from '../../http/api-error';
import type { EntityHooks, Row, Tx } from '../entity';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

// A `{vault://…}` reference (docs/SECURITY.md) is resolved on the data plane: its PEM cannot be checked here.
const isReference = (v: unknown): boolean => typeof v === 'string' && v.trimStart().startsWith('{vault://');

/** `expires_at` (the earliest "Not After" of the PEMs given) and `expiry_state`, as a row's computed columns. */
function withExpiry(row: Row, pems: unknown[]): Row {
  const expiries = pems.filter((p): p is string => typeof p === 'string' && !isReference(p)).map(pemNotAfter);
  const expiresAt = expiries.length > 0 ? Math.min(...expiries) : 0;
  return { ...row, expiresAt, expiryState: expiries.length > 0 ? expiryStateAt(expiresAt, nowSeconds()) : 'unknown' };
}

/** The SNI names of each certificate among `ids`, sorted (Kong answers them sorted). */
async function sniNames(tx: Tx, ids: string[]): Promise<Map<string, string[]>> {
  const names = new Map<string, string[]>();
  if (ids.length === 0) return names;
  for (const s of await tx.sni.findMany({ where: { certificateId: { in: ids } }, select: { certificateId: true, name: true } })) {
    names.set(s.certificateId, [...(names.get(s.certificateId) ?? []), s.name]);
  }
  for (const list of names.values()) list.sort();
  return names;
}

/**
 * Kong's `snis` shortcut: the names given replace the SNIs pointing at the
 * certificate (a PUT without them clears them, a PATCH without them keeps
 * them); a name another certificate of the group holds is refused in Kong's
 * words.
 */
async function replaceSnis(tx: Tx, runtimeGroupId: string, certificateId: string, names: string[]): Promise<void> {
  const taken = await tx.sni.findFirst({ where: { runtimeGroupId, name: { in: names }, NOT: { certificateId } } });
  if (taken) throw schemaViolation({ snis: `${taken.name} already associated with existing certificate '${taken.certificateId}'` });
  const current = await tx.sni.findMany({ where: { certificateId }, select: { id: true, name: true } });
  const gone = current.filter((s) => !names.includes(s.name)).map((s) => s.id);
  if (gone.length > 0) await tx.sni.deleteMany({ where: { id: { in: gone } } });
  const fresh = names.filter((n) => !current.some((s) => s.name === n));
  if (fresh.length > 0) await tx.sni.createMany({ data: fresh.map((name) => ({ runtimeGroupId, certificateId, name })) });
}

/**
 * Certificates: the PEM checked with node:crypto in Kong's words (each part
 * parses, each key matches its certificate, the alternative pair of the other
 * key type); the keys sealed by the CRUD (the registry's `sealedFields`);
 * the answer's `snis` and expiry computed.
 */
export const certificateHooks: EntityHooks = {
  prepare(input) {
    const pems = { cert: input.cert, key: input.key, cert_alt: input.cert_alt, key_alt: input.key_alt };
    if (!Object.values(pems).some(isReference)) {
      const { problems } = checkCertificate(pems as { cert: string; key: string; cert_alt: string | null; key_alt: string | null });
      if (Object.keys(problems).length > 0) throw schemaViolation(problems);
    }
    return Promise.resolve({ input });
  },
  async afterWrite(tx, runtimeGroupId, row, input, mode) {
    const names = input.snis as string[] | null | undefined;
    if ((names === undefined || names === null) && mode !== 'replace') return;
    await replaceSnis(tx, runtimeGroupId, row.id, names ?? []);
  },
  // Kong: a PUT to `/certificates/{sni name}` that names nothing creates a certificate with that SNI.
  bodyForKey(key, body) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
    const given = (body as Record<string, unknown>).snis;
    const snis = Array.isArray(given) ? (given as unknown[]) : [];
    return { ...body, snis: snis.includes(key) ? snis : [...snis, key] };
  },
  // Kong: `/certificates/{sni name}` is the certificate that SNI points at.
  async findByKey(tx, runtimeGroupId, key) {
    const sni = await tx.sni.findFirst({ where: { runtimeGroupId, name: key }, select: { certificateId: true } });
    return sni?.certificateId ?? null;
  },
  async decorate(tx, rows) {
    const names = await sniNames(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((row) => ({ ...withExpiry(row, [row.cert, row.certAlt]), snis: names.get(row.id) ?? [] }));
  },
};

/**
 * CA certificates: Kong's checks (one certificate, not expired, a CA) and its
 * `cert_digest`, always computed from the certificate as Kong does on write.
 */
export const caCertificateHooks: EntityHooks = {
  prepare(input) {
    const checked = checkCaCertificate(String(input.cert), nowSeconds());
    if ('problem' in checked) throw schemaViolation({ cert: checked.problem });
    return Promise.resolve({ input: { ...input, cert_digest: checked.digest } });
  },
  decorate(_tx, rows) {
    return Promise.resolve(rows.map((row) => withExpiry(row, [row.cert])));
  },
};
