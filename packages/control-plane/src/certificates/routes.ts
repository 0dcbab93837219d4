import type { Request } from 'express';
import { dpCertificateInput, toTimestamp } from '@gatehouse/protocol';
import type { DpCertificate } from '../generated/prisma/client';
import { ApiError, notFound } from '../http/api-error';
import { isUuid } from '../http/entity-key';
import type { AppModule } from '../http/module';
import { listQuery, page } from '../http/pagination';
import { objectBody, validate } from '../http/validate';
import { findRuntimeGroup } from '../runtime-groups/lookup';
import { issueDpCertificate, renewDpCertificate } from './issue';
import { describeRefusal } from './lineage';
import { revokeDpCertificate } from './revocation';

/** A stored certificate as listed: public parts only. */
export function dpCertificateToApi(c: DpCertificate) {
  return {
    id: c.id,
    cert: c.certPem,
    serial: c.serial,
    fingerprint: c.fingerprint,
    not_before: toTimestamp(c.notBefore),
    not_after: toTimestamp(c.notAfter),
    revoked: c.revokedAt !== null,
    revoked_at: c.revokedAt ? toTimestamp(c.revokedAt) : null,
    created_at: toTimestamp(c.createdAt),
    parent_id: c.parentId,
  };
}

/** The `:id` of a certificate path; not a UUID cannot name one (certificates have no name). */
function certificateId(req: Request): string {
  const id = req.params.id as string;
  if (!isUuid(id)) throw notFound('dp certificate', id);
  return id.toLowerCase();
}

/**
 * `/runtime-groups/:rg/dp-certificates`: issue (201, the private key only in
 * this answer), list, read, renew (a new certificate for the same key, no
 * `key` in the answer; once per certificate, 409 after) and revoke (DELETE,
 * 204: it and every certificate renewed from it are revoked, and every live
 * connection using one of them, on every CP process, is closed at once). Optional body of issue and renew:
 * `{"validity_days": N}` (default 180).
 */
export const dpCertificatesModule: AppModule = {
  name: 'dp-certificates',
  api(router, { db, log, secretKey }) {
    const base = '/runtime-groups/:rg/dp-certificates';
    router.post(base, async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      const input = validate(dpCertificateInput, objectBody(req.body));
      const issued = await issueDpCertificate(db, group.id, secretKey, { validityDays: input.validity_days });
      log.info({ event: 'dp_certificate_issued', runtime_group_id: group.id, certificate_id: issued.id, not_after: issued.not_after });
      res.status(201).json({ ...issued, not_after: toTimestamp(issued.not_after) });
    });
    router.get(base, async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      const q = listQuery(req.query);
      const rows = await db.dpCertificate.findMany({ where: { runtimeGroupId: group.id, ...q.where }, orderBy: q.orderBy, take: q.take });
      res.json(page(rows, q, dpCertificateToApi));
    });
    router.get(`${base}/:id`, async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      const id = certificateId(req);
      const row = await db.dpCertificate.findFirst({ where: { id, runtimeGroupId: group.id } });
      if (!row) throw notFound('dp certificate', id);
      res.json(dpCertificateToApi(row));
    });
    router.post(`${base}/:id/renew`, async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      const id = certificateId(req);
      const input = validate(dpCertificateInput, objectBody(req.body));
      const renewed = await renewDpCertificate(db, group.id, id, secretKey, { validityDays: input.validity_days });
      if ('refused' in renewed) {
        if (renewed.refused === 'not_found') throw notFound('dp certificate', id);
        if (renewed.refused === 'revoked') throw new ApiError('conflict', 'a revoked certificate cannot be renewed; issue a new one');
        throw new ApiError('conflict', describeRefusal(renewed));
      }
      log.info({ event: 'dp_certificate_renewed', runtime_group_id: group.id, certificate_id: renewed.id, renewed_from: id });
      res.status(201).json({ ...renewed, not_after: toTimestamp(renewed.not_after) });
    });
    router.delete(`${base}/:id`, async (req, res) => {
      const group = await findRuntimeGroup(db, req);
      const id = certificateId(req);
      const revoked = await revokeDpCertificate(db, group.id, id);
      if (!revoked) throw notFound('dp certificate', id);
      log.info({ event: 'dp_certificate_revoked', runtime_group_id: group.id, certificate_id: id, descendants: revoked.slice(1) });
      res.status(204).end();
    });
  },
};
