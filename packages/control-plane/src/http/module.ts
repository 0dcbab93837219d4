import type { Express, Router } from 'express';
import type { CpSettings } from '../config/settings';
import type { Db } from '../database/client';
import type { Logger } from '../logging';

/** What every part of the HTTP app gets: the database, the logger, settings and the secret key. */
export interface AppContext {
  db: Db;
  log: Logger;
  settings: CpSettings;
  /** From `loadSecretKey`: signs session tokens, encrypts CA keys. */
  secretKey: Buffer;
}

/**
 * One feature's share of the HTTP app. This is the mount point for other
 * modules (cluster certificates, nodes, launch scripts, analytics, the web
 * UI): write an AppModule and add it to the list `startControlPlane` passes to
 * `createApp` in server.ts.
 *
 * - `api`: routes under `/v1` behind the auth middleware (paths relative to
 *   `/v1`, e.g. `/runtime-groups/:rg/nodes`); `authOf(req)` gives the caller,
 *   `findRuntimeGroup` from runtime-groups/lookup.ts resolves `:rg`.
 * - `publicApi`: routes under `/v1` that need no token (only login uses it).
 *   Nothing reads their bodies for them: a route that takes one mounts
 *   `publicBodyParsers()` (http/body.ts, at most PUBLIC_BODY_LIMIT) itself.
 * - `site`: anything outside `/v1`, without auth (the UI's static files and
 *   its SPA fallback). Unknown `/v1` paths never reach it.
 *
 * `api` bodies are already parsed, after authentication (JSON into `req.body`; YAML arrives as a string),
 * errors thrown or rejected become `{code,message,fields}` answers.
 */
export interface AppModule {
  name: string;
  api?(router: Router, ctx: AppContext): void;
  publicApi?(router: Router, ctx: AppContext): void;
  site?(app: Express, ctx: AppContext): void;
}
