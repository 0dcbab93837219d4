import { randomBytes } from 'node:crypto';
import { PAT_PREFIX } from '@gatehouse/protocol';
import { sha256Hex } from '@gatehouse/protocol/node';
import type { Db } from '../database/client';

/** A new token secret: the prefix and 32 random bytes (base64url). Shown to the user once. */
export function newPatSecret(): string {
  return `${PAT_PREFIX}${randomBytes(32).toString('base64url')}`;
}

// last_used_at is a hint for people, not an audit log: writing it on every request would cost a write per call.
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * Finds the user a personal access token belongs to. Only the SHA-256 of a
 * token is stored, so lookup is by hash. Answers null for an unknown or
 * expired token.
 */
export async function verifyPat(db: Db, token: string): Promise<{ userId: string; organizationId: string } | null> {
  if (!token.startsWith(PAT_PREFIX) || token.length > 200) return null;
  const row = await db.personalAccessToken.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { user: true } });
  if (!row) return null;
  const now = Date.now();
  if (row.expiresAt && row.expiresAt.getTime() <= now) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await db.personalAccessToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { userId: row.userId, organizationId: row.user.organizationId };
}
