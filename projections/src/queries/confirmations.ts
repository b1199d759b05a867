import type pg from 'pg';

export interface Confirmation {
  readonly ticketId: string;
  readonly communeId: string | null;
  readonly confirmedAt: string;
}

/** "My confirmations": the problems a citizen said "me too" to, newest first. */
export async function citizenConfirmations(client: pg.ClientBase, citizenId: string, limit = 100): Promise<Confirmation[]> {
  const { rows } = await client.query(
    `SELECT ticket_id, commune_id, confirmed_at FROM read.ticket_confirmations
     WHERE citizen_id = $1 ORDER BY confirmed_at DESC, ticket_id LIMIT $2`,
    [citizenId, limit],
  );
  return rows.map((r) => ({ ticketId: r.ticket_id, communeId: r.commune_id, confirmedAt: (r.confirmed_at as Date).toISOString() }));
}

/** Whether this citizen already confirmed this ticket (to show "me too" as done). */
export async function hasConfirmed(client: pg.ClientBase, ticketId: string, citizenId: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM read.ticket_confirmations WHERE ticket_id = $1 AND citizen_id = $2', [
    ticketId,
    citizenId,
  ]);
  return (rowCount ?? 0) > 0;
}
