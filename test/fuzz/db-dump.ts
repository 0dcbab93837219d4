import pg from 'pg';

/**
 * Every row of every table of a database, as one comparable string: used to
 * prove that a refused request changed nothing stored. Rows are sorted, so
 * the dump does not depend on physical order.
 */
export class DatabaseDump {
  private constructor(
    private readonly client: pg.Client,
    private readonly tables: string[],
  ) {}

  static async open(databaseUrl: string): Promise<DatabaseDump> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename",
    );
    return new DatabaseDump(
      client,
      rows.map((r) => r.tablename),
    );
  }

  /** The whole database as text; equal texts mean equal contents. */
  async take(): Promise<string> {
    const parts: string[] = [];
    for (const table of this.tables) {
      const { rows } = await this.client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      parts.push(
        `${table}:\n${rows
          .map((r) => r.row)
          .sort()
          .join('\n')}`,
      );
    }
    return parts.join('\n');
  }

  /** The first line where two dumps differ, for a readable failure. */
  static difference(before: string, after: string): string {
    const a = before.split('\n');
    const b = after.split('\n');
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] !== b[i]) return `line ${i}: before ${JSON.stringify(a[i])?.slice(0, 400)} / after ${JSON.stringify(b[i])?.slice(0, 400)}`;
    }
    return 'no difference';
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
