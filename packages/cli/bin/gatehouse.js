#!/usr/bin/env node
// The `gatehouse` executable: a committed, executable file (so `npm ci` can
// link it before anything is built) that runs the compiled CLI.
try {
  require.resolve('../dist/main.js');
} catch {
  console.error('gatehouse: the CLI is not built yet; run `npm run build` first');
  process.exit(1);
}
require('../dist/main.js');
