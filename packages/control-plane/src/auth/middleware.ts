import { PAT_PREFIX } from '@gatehouse/protocol';
import type { RequestHandler } from 'express';
import type { Db } from '../database/client';
import { ApiError } from '../http/api-error';
import { setAuth } from './context';
import { verifyPat } from './personal-access-tokens';
import { verifySession } from './session-tokens';

/**
 * Requires `Authorization: Bearer <token>`: a session JWT from login or a
 * personal access token (`gpat_…`). On success the request's AuthContext is
 * set (read it with `authOf(req)`); otherwise the answer is 401 `unauthorized`
 * and no route handler runs. Mount it in front of everything but health and
 * login.
 */
export function requireAuth(db: Db, signingKey: Uint8Array): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const token = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    if (token === undefined) throw new ApiError('unauthorized', 'missing bearer token: send Authorization: Bearer <token>');
    if (token.startsWith(PAT_PREFIX)) {
      const pat = await verifyPat(db, token);
      if (!pat) throw new ApiError('unauthorized', 'invalid or expired personal access token');
      setAuth(req, { ...pat, sessionId: null });
    } else {
      const session = await verifySession(db, signingKey, token);
      if (!session) throw new ApiError('unauthorized', 'invalid, expired or revoked token');
      setAuth(req, session);
    }
    next();
  };
}
