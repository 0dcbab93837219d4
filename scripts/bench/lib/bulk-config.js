'use strict';
/**
 * Fills a runtime group with N routes for the scale benchmark, straight in
 * PostgreSQL (the API's body limit and per-entity writes would make 50,000
 * routes take longer than the benchmark itself): one gateway service per 10
 * routes, two paths per route, a quarter of the routes bound to a host, a
 * third limited to GET, and a rate-limiting plugin on every 20th route,
 * copied from one the API created (so its stored config is exactly what the
 * API stores). Then the group's config is marked changed the way every API
 * write does it (version bump + NOTIFY), so the CP rebuilds and pushes.
 */
const path = require('node:path');
const { ROOT } = require('./processes');

const pg = require(path.join(ROOT, 'node_modules/pg'));

async function withClient(databaseUrl, fn) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Adds `routes` routes (and their services and plugins) to group `groupId`; `template` is a plugin row id to copy. */
async function bulkInsert(databaseUrl, { groupId, prefix, routes, upstreamPort, templatePluginId }) {
  await withClient(databaseUrl, async (c) => {
    await c.query('BEGIN');
    const [{ organization_id: orgId }] = (await c.query('SELECT organization_id FROM runtime_groups WHERE id = $1', [groupId])).rows;
    await c.query(
      `INSERT INTO services (id, runtime_group_id, name, host, port)
       SELECT gen_random_uuid(), $1, $2 || '-s' || g, '127.0.0.1', $3 FROM generate_series(1, $4::int) g`,
      [groupId, prefix, upstreamPort, Math.ceil(routes / 10)],
    );
    await c.query(
      `INSERT INTO routes (id, runtime_group_id, organization_id, service_id, name, paths, methods, hosts)
       SELECT gen_random_uuid(), $1, $2, s.id, $3 || '-r' || g,
              ARRAY['/' || $3 || '-' || g || '/api', '/' || $3 || '-' || g || '/v2'],
              CASE WHEN g % 3 = 0 THEN ARRAY['GET'] ELSE ARRAY[]::text[] END,
              CASE WHEN g % 4 = 0 THEN ARRAY['api-' || g || '.example.com'] ELSE ARRAY[]::text[] END
       FROM generate_series(1, $4::int) g
       JOIN services s ON s.runtime_group_id = $1 AND s.name = $3 || '-s' || (1 + (g - 1) / 10)`,
      [groupId, orgId, prefix, routes],
    );
    await c.query(
      `INSERT INTO plugins (id, runtime_group_id, name, route_id, config, protocols)
       SELECT gen_random_uuid(), $1, t.name, r.id, t.config, t.protocols
       FROM generate_series(20, $3::int, 20) g
       JOIN routes r ON r.runtime_group_id = $1 AND r.name = $2 || '-r' || g
       CROSS JOIN (SELECT name, config, protocols FROM plugins WHERE id = $4) t`,
      [groupId, prefix, routes, templatePluginId],
    );
    await c.query('UPDATE runtime_groups SET config_version = config_version + 1 WHERE id = $1', [groupId]);
    await c.query("SELECT pg_notify('gatehouse_config', $1)", [groupId]);
    await c.query('COMMIT');
  });
}

module.exports = { bulkInsert };
