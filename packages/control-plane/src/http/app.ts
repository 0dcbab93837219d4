import express, { type Express } from 'express';
import { requireAuth } from '../auth/middleware';
import { sessionSigningKey } from '../auth/session-tokens';
import { bodyParsers, publicBodyParsers } from './body';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthHandler } from './health';
import type { AppContext, AppModule } from './module';
import { closeAfterUnreadBody } from './read-body';
import { requestLog } from './request-log';
import { securityHeaders } from './security-headers';

/**
 * Builds the CP's HTTP app. Order matters and is fixed here: security headers,
 * request logs and closing connections whose unread body is too long to throw
 * away on everything; under `/v1` health and each module's `publicApi` (each
 * reading its own body, up to PUBLIC_BODY_LIMIT), then the auth middleware,
 * then body parsing (BODY_LIMIT), then each module's `api` routes and a JSON
 * 404; outside `/v1` each module's `site` (the web UI); last the JSON 404 and
 * the error handler. No body is read before its request is authenticated,
 * except a public route's small one. Modules plug in through `modules` (see
 * AppModule in module.ts); nothing else needs changing here.
 */
export function createApp(ctx: AppContext, modules: readonly AppModule[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders());
  app.use(requestLog(ctx.log));
  app.use(closeAfterUnreadBody());

  const v1 = express.Router();
  // Any method on the health path reads (and checks) its body as a public route, then falls
  // through: only GET has a handler, the rest meet the auth middleware as before.
  v1.use('/health', publicBodyParsers());
  v1.get('/health', healthHandler(ctx.db));
  for (const m of modules) m.publicApi?.(v1, ctx);
  v1.use(requireAuth(ctx.db, sessionSigningKey(ctx.secretKey)));
  v1.use(bodyParsers());
  for (const m of modules) m.api?.(v1, ctx);
  v1.use(notFoundHandler());
  app.use('/v1', v1);

  for (const m of modules) m.site?.(app, ctx);
  app.use(notFoundHandler());
  app.use(errorHandler(ctx.log));
  return app;
}
