import type pg from 'pg';

/** Every read model with the order that makes two copies comparable row by row. */
const TABLES = {
  tickets: 'id',
  ticket_timeline: 'ticket_id, revision',
  ticket_confirmations: 'ticket_id, citizen_id',
  ticket_durations: 'ticket_id',
  commune_daily_stats: 'commune_id, day, category',
  communes: 'id',
} as const;

/** The content of every read model in `schema`, as JSON rows (read with a role that bypasses RLS). */
export async function readModelContents(client: pg.ClientBase, schema: string): Promise<Record<string, unknown[]>> {
  if (!/^[a-z_]+$/.test(schema)) throw new Error(`bad schema ${schema}`);
  const contents: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const { rows } = await client.query(`SELECT to_jsonb(t) AS row FROM ${schema}.${table} t ORDER BY ${order}`);
    contents[table] = rows.map((r) => r.row);
  }
  return contents;
}
