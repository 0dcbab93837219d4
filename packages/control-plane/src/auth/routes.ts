import { loginInput, toTimestamp, type CurrentUser, type LoginAnswer } from '@gatehouse/protocol';
import { verifyPassword } from '@gatehouse/protocol/node';
import { ApiError } from '../http/api-error';
import type { AppModule } from '../http/module';
import { publicBodyParsers } from '../http/body';
import { objectBody, validate } from '../http/validate';
import { authOf } from './context';
import { loginThrottleKeys } from './login-throttle';
import { PgLoginThrottle } from './pg-login-throttle';
import { issueSession, sessionSigningKey } from './session-tokens';

// Compared against when the email is unknown, so both failures take as long.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/**
 * Login, logout and `GET /me` (bodies and answers: the protocol's
 * `loginInput`, `loginAnswer`, `currentUser`). Login answers `{token, expires_at}`: a
 * session JWT valid for GATEHOUSE_SESSION_TTL seconds; login attempts are
 * throttled per address and per account, each counted before its password is
 * checked, in PostgreSQL so every CP process shares the counts (PgLoginThrottle:
 * 429 with Retry-After); failures stay counted, a success is given back. Its body
 * is read only up to PUBLIC_BODY_LIMIT (no token yet). Logout revokes the
 * session the request's token belongs to (a no-op for a personal access token).
 */
export const authModule: AppModule = {
  name: 'auth',
  publicApi(router, { db, settings, secretKey, log }) {
    const signingKey = sessionSigningKey(secretKey);
    const throttle = new PgLoginThrottle(db, {
      maxFailures: settings.GATEHOUSE_LOGIN_MAX_FAILURES,
      windowMs: settings.GATEHOUSE_LOGIN_FAILURE_WINDOW * 1000,
    });
    router.post('/auth/login', ...publicBodyParsers(), async (req, res) => {
      const { email, password } = validate(loginInput, objectBody(req.body));
      // The socket's address, not X-Forwarded-For: a client could write any address there.
      const address = req.socket.remoteAddress ?? 'unknown';
      const keys = loginThrottleKeys(address, email);
      // Counted before the password is checked, in the same step as the check: parallel attempts
      // cannot all pass a check made before any of them is counted.
      const attempt = await throttle.begin(keys);
      if (!attempt.allowed) {
        // Refused before the password is checked, so a throttled guesser learns nothing and costs no scrypt.
        log.warn({ event: 'login_throttled', ip: address, email_domain: email.split('@')[1] ?? null, retry_after: attempt.retryAfter });
        res.setHeader('Retry-After', String(attempt.retryAfter));
        throw new ApiError('too_many_requests', `too many failed logins: try again in ${attempt.retryAfter} seconds`);
      }
      const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
      const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) {
        // The counted attempt stays: it is this failure.
        log.info({ event: 'login_failed', ip: address, email_domain: email.split('@')[1] ?? null });
        throw new ApiError('unauthorized', 'invalid email or password');
      }
      await throttle.reset(keys[1]);
      await throttle.release(keys[0], attempt);
      const session = await issueSession(db, signingKey, user, settings.GATEHOUSE_SESSION_TTL);
      log.info({ event: 'login', user_id: user.id, session_id: session.sessionId });
      const answer: LoginAnswer = { token: session.token, expires_at: session.expiresAt.toISOString() };
      res.json(answer);
    });
  },
  api(router, { db, log }) {
    router.post('/auth/logout', async (req, res) => {
      const auth = authOf(req);
      if (auth.sessionId) {
        await db.session.update({ where: { id: auth.sessionId }, data: { revokedAt: new Date() } });
        log.info({ event: 'logout', user_id: auth.userId, session_id: auth.sessionId });
      }
      res.status(204).end();
    });
    router.get('/me', async (req, res) => {
      const auth = authOf(req);
      const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, include: { organization: true } });
      const answer: CurrentUser = {
        id: user.id,
        email: user.email,
        full_name: user.fullName,
        organization: { id: user.organization.id, name: user.organization.name },
        created_at: toTimestamp(user.createdAt),
      };
      res.json(answer);
    });
  },
};
