import { gatehouseSecretNames } from '@gatehouse/protocol';
import type { Prisma } from '../generated/prisma/client';
import type { Db } from '../database/client';

type Reader = Db | Prisma.TransactionClient;

/** A runtime group whose config references a secret. */
export interface GroupRef {
  id: string;
  name: string;
}

/**
 * Where stored configs may hold `{vault://gatehouse/...}` references: the
 * tables of entities with referenceable fields, and the text searched in each
 * (plugins: the whole config, whose referenceable fields the plugin schemas
 * mark; certificates: their four PEM fields). An entity gaining referenceable
 * fields adds its row here.
 */
const SOURCES: readonly { table: string; text: string }[] = [
  { table: 'plugins', text: 'e.config::text' },
  // A certificate's sealed keys are stored as written when they are references (crud/codec.ts), so they are searchable.
  { table: 'certificates', text: 'json_build_array(e.cert, e.key, e.cert_alt, e.key_alt)::text' },
];

const MARK = '%{vault://gatehouse/%';

/**
 * The runtime groups of an organization whose configs reference each secret,
 * by secret name: a text search narrows the rows, then each row's references
 * are parsed, so a name that is only a prefix of another never matches.
 */
export async function secretUsage(db: Reader, organizationId: string): Promise<Map<string, GroupRef[]>> {
  const byName = new Map<string, Map<string, GroupRef>>();
  for (const source of SOURCES) {
    const rows = await db.$queryRawUnsafe<{ id: string; name: string; text: string }[]>(
      `SELECT g.id::text AS id, g.name AS name, ${source.text} AS text FROM ${source.table} e JOIN runtime_groups g ON g.id = e.runtime_group_id
       WHERE g.organization_id = $1::uuid AND ${source.text} LIKE $2`,
      organizationId,
      MARK,
    );
    for (const row of rows) {
      for (const name of gatehouseSecretNames(parseText(row.text))) {
        let groups = byName.get(name);
        if (!groups) byName.set(name, (groups = new Map<string, GroupRef>()));
        groups.set(row.id, { id: row.id, name: row.name });
      }
    }
  }
  return new Map([...byName].map(([name, groups]) => [name, [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))]));
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
