import express, { type Express } from 'express';
import { requireAuth } from '../auth/middleware';
import { sessionSigningKey } from '../auth/session-tokens';
import { bodyParsers } from './body';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthHandler } from './health';
import type { AppContext, AppModule } from './module';
import { requestLog } from './request-log';
import { securityHeaders } from './security-headers';

/**
 * Builds the CP's HTTP app. Order matters and is fixed here: security headers
 * and request logs on everything; under `/v1` body parsing, then health and
 * each module's `publicApi`, then the auth middleware, then each module's
 * `api` routes and a JSON 404; outside `/v1` each module's `site` (the web
 * UI); last the JSON 404 and the error handler. Modules plug in through
 * `modules` (see AppModule in module.ts); nothing else needs changing here.
 */
export function createApp(ctx: AppContext, modules: readonly AppModule[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders());
  app.use(requestLog(ctx.log));

  const v1 = express.Router();
  v1.use(bodyParsers());
  v1.get('/health', healthHandler(ctx.db));
  for (const m of modules) m.publicApi?.(v1, ctx);
  v1.use(requireAuth(ctx.db, sessionSigningKey(ctx.secretKey)));
  for (const m of modules) m.api?.(v1, ctx);
  v1.use(notFoundHandler());
  app.use('/v1', v1);

  for (const m of modules) m.site?.(app, ctx);
  app.use(notFoundHandler());
  app.use(errorHandler(ctx.log));
  return app;
}
