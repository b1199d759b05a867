import type pg from 'pg';

/**
 * Who filed each ticket, anonymous ones included (the shared queries withhold it). Used only to
 * tell a citizen "this one is yours" and to reach their phone; never shown to anyone.
 */
export async function reportersOf(client: pg.ClientBase, ticketIds: readonly string[]): Promise<Map<string, string>> {
  if (ticketIds.length === 0) return new Map();
  const { rows } = await client.query<{ id: string; reporter_id: string }>(
    'SELECT id, reporter_id FROM read.tickets WHERE id = ANY($1::text[]) AND reporter_id IS NOT NULL',
    [[...ticketIds]],
  );
  return new Map(rows.map((r) => [r.id, r.reporter_id]));
}
