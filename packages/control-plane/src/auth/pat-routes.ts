import { personalAccessTokenInput, toTimestamp, type CreatedPersonalAccessToken, type PersonalAccessToken as PatAnswer } from '@gatehouse/protocol';
import { sha256Hex } from '@gatehouse/protocol/node';
import type { PersonalAccessToken } from '../generated/prisma/client';
import { notFound } from '../http/api-error';
import type { AppModule } from '../http/module';
import { listQuery, page } from '../http/pagination';
import { objectBody, validate } from '../http/validate';
import { authOf } from './context';
import { newPatSecret } from './personal-access-tokens';

const maybeSeconds = (d: Date | null): number | null => (d ? toTimestamp(d) : null);

function toApi(row: PersonalAccessToken): PatAnswer {
  return {
    id: row.id,
    name: row.name,
    created_at: toTimestamp(row.createdAt),
    expires_at: maybeSeconds(row.expiresAt),
    last_used_at: maybeSeconds(row.lastUsedAt),
  };
}

/**
 * Personal access tokens of the calling user (protocol `personalAccessTokenInput`,
 * `personalAccessToken`, `createdPersonalAccessToken`): `POST` answers the token
 * (`gpat_…`) once, in `token`; only its SHA-256 is stored, so it can never be
 * shown again. `GET` lists them without secrets; `DELETE /{id}` revokes one.
 */
export const patModule: AppModule = {
  name: 'personal-access-tokens',
  api(router, { db, log }) {
    router.post('/personal-access-tokens', async (req, res) => {
      const auth = authOf(req);
      const input = validate(personalAccessTokenInput, objectBody(req.body));
      const token = newPatSecret();
      const expiresAt = input.expires_in_days ? new Date(Date.now() + input.expires_in_days * 86_400_000) : null;
      const row = await db.personalAccessToken.create({ data: { userId: auth.userId, name: input.name, tokenHash: sha256Hex(token), expiresAt } });
      log.info({ event: 'pat_created', user_id: auth.userId, pat_id: row.id });
      const answer: CreatedPersonalAccessToken = { ...toApi(row), token };
      res.status(201).json(answer);
    });
    router.get('/personal-access-tokens', async (req, res) => {
      const auth = authOf(req);
      const q = listQuery(req.query);
      const rows = await db.personalAccessToken.findMany({ where: { userId: auth.userId, ...q.where }, orderBy: q.orderBy, take: q.take });
      res.json(page(rows, q, toApi));
    });
    router.delete('/personal-access-tokens/:id', async (req, res) => {
      const auth = authOf(req);
      const id = req.params.id;
      const { count } = /^[0-9a-f-]{36}$/i.test(id) ? await db.personalAccessToken.deleteMany({ where: { id, userId: auth.userId } }) : { count: 0 };
      if (count === 0) throw notFound('personal access token', id);
      log.info({ event: 'pat_deleted', user_id: auth.userId, pat_id: id });
      res.status(204).end();
    });
  },
};
