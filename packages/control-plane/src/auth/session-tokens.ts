import { hkdfSync, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import type { Db } from '../database/client';

const ISSUER = 'gatehouse';
const AUDIENCE = 'gatehouse-api';

/**
 * The HS256 signing key for session tokens, derived from the installation's
 * secret key with HKDF so the raw secret (also used to encrypt CA keys) never
 * signs anything itself.
 */
export function sessionSigningKey(secretKey: Buffer): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secretKey, 'gatehouse', 'session-jwt-hs256', 32));
}

/** A freshly issued session token. */
export interface IssuedSession {
  token: string;
  expiresAt: Date;
  sessionId: string;
}

/**
 * Starts a session: a `sessions` row whose id is the JWT's `jti`, so that
 * logout (which sets `revoked_at`) ends the token before it expires.
 */
export async function issueSession(db: Db, signingKey: Uint8Array, user: { id: string; organizationId: string }, ttlSeconds: number): Promise<IssuedSession> {
  const sessionId = randomUUID();
  const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + ttlSeconds * 1000);
  await db.session.create({ data: { id: sessionId, userId: user.id, expiresAt } });
  const token = await new SignJWT({ org: user.organizationId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setJti(sessionId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(signingKey);
  return { token, expiresAt, sessionId };
}

/** The claims of a valid session token. */
export interface SessionClaims {
  userId: string;
  organizationId: string;
  sessionId: string;
}

/**
 * Checks a session token's signature, expiry and session row. Answers null
 * for any token that is not (or no longer) valid: the caller answers 401.
 */
export async function verifySession(db: Db, signingKey: Uint8Array, token: string): Promise<SessionClaims | null> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, signingKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] }));
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return null;
    throw err;
  }
  const { sub, jti, org } = payload;
  if (typeof sub !== 'string' || typeof jti !== 'string' || typeof org !== 'string' || !/^[0-9a-f-]{36}$/i.test(jti)) return null;
  const session = await db.session.findUnique({ where: { id: jti }, include: { user: true } });
  if (session?.revokedAt !== null || session.expiresAt.getTime() <= Date.now()) return null;
  if (session.userId !== sub || session.user.organizationId !== org) return null;
  return { userId: sub, organizationId: org, sessionId: jti };
}
