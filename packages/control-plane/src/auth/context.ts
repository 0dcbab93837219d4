import type { Request } from 'express';
import { ApiError } from '../http/api-error';

/**
 * Who a request acts for, set by the auth middleware once the bearer token
 * checks out. Every authenticated route reads it with `authOf(req)`; every
 * query a route makes is scoped by `organizationId`.
 */
export interface AuthContext {
  userId: string;
  organizationId: string;
  /** The session (JWT `jti`) when the token is a login token; null for a personal access token. */
  sessionId: string | null;
}

const contexts = new WeakMap<Request, AuthContext>();

/** Records the caller of a request (the auth middleware's job only). */
export function setAuth(req: Request, auth: AuthContext): void {
  contexts.set(req, auth);
}

/**
 * The caller of an authenticated request. Throws 401 when the route was
 * mounted outside the auth middleware by mistake, so it fails closed.
 */
export function authOf(req: Request): AuthContext {
  const auth = contexts.get(req);
  if (!auth) throw new ApiError('unauthorized', 'authentication required');
  return auth;
}
