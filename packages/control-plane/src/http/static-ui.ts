import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { AppModule } from './module';

/** Where `npm run build` puts the web UI (packages/ui/dist), seen from this file in dist/ or src/. */
export const UI_DIST_DIR = path.resolve(__dirname, '..', '..', '..', 'ui', 'dist');

// Vite names assets by content hash, so one name never changes content: cache for a year.
const ASSET_CACHE = 'public, max-age=31536000, immutable';

/**
 * The web UI at `/`: the built files, and `index.html` for any other GET
 * outside `/v1` so deep links (`/service-hub/…`) load the single-page app.
 * A path that looks like a file (has an extension) and is missing stays a 404.
 * When the UI has not been built, the CP still starts and says so in its log.
 */
export function staticUiModule(dir: string = UI_DIST_DIR): AppModule {
  return {
    name: 'web-ui',
    site(app, { log }) {
      const index = path.join(dir, 'index.html');
      if (!fs.existsSync(index)) {
        log.warn({ event: 'ui_not_built', dir }, `the web UI is not built (no ${index}): run npm run build`);
        return;
      }
      app.use(
        express.static(dir, {
          index: false,
          setHeaders(res, file) {
            const immutable = file.startsWith(path.join(dir, 'assets') + path.sep);
            res.setHeader('Cache-Control', immutable ? ASSET_CACHE : 'no-cache');
          },
        }),
      );
      app.use((req, res, next) => {
        if ((req.method !== 'GET' && req.method !== 'HEAD') || path.extname(req.path) !== '') return next();
        res.setHeader('Cache-Control', 'no-cache');
        res.sendFile(index);
      });
    },
  };
}
