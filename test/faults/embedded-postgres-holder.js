// Holds a data directory the way a control plane does (the CP's own
// embedded.ts, built): takes control-plane.pid, starts the embedded
// PostgreSQL tied to this process by the death watch named on the command
// line, and logs {"event":"postgres_ready","pid":…,"postgres_pid":…}. A test
// kill -9s it to leave what a killed CP leaves.
// Usage: node embedded-postgres-holder.js <dir> <pdeathsig|watchdog>
const pino = require('pino');
const { startEmbeddedPostgres } = require('../../packages/control-plane/dist/database/embedded.js');

async function main() {
  const [dir, watch] = process.argv.slice(2);
  await startEmbeddedPostgres(dir, pino({ level: 'silent' }), undefined, { watch });
  const fs = require('node:fs');
  const postgresPid = Number(fs.readFileSync(`${dir}/postgres/postmaster.pid`, 'utf8').split('\n')[0]);
  console.log(JSON.stringify({ event: 'postgres_ready', pid: process.pid, postgres_pid: postgresPid }));
}

main().catch((err) => {
  console.log(JSON.stringify({ event: 'postgres_failed', error: String(err && err.message) }));
  process.exit(1);
});
