#!/usr/bin/env node
// Generates the Prisma client offline. The Prisma CLI insists on locating its
// schema-engine binary even for `generate`, which never runs it; pointing it at
// any executable avoids a download that cannot succeed without internet access.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const cli = require.resolve('prisma/build/index.js', { paths: [root] });
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
  cwd: root,
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (result.status !== 0) {
  console.error('prisma generate failed; run `npm ci` first, then `npm run generate`');
  process.exit(result.status ?? 1);
}
