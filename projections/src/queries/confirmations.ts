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

/** Which of these tickets this citizen already confirmed (to show "me too" as done). */
export async function confirmedAmong(client: pg.ClientBase, citizenId: string, ticketIds: readonly string[]): Promise<Set<string>> {
  if (ticketIds.length === 0) return new Set();
  const { rows } = await client.query<{ ticket_id: string }>(
    'SELECT ticket_id FROM read.ticket_confirmations WHERE citizen_id = $1 AND ticket_id = ANY($2::text[])',
    [citizenId, [...ticketIds]],
  );
  return new Set(rows.map((r) => r.ticket_id));
}

/** Whether this citizen already confirmed this ticket. */
export const hasConfirmed = async (client: pg.ClientBase, ticketId: string, citizenId: string): Promise<boolean> =>
  (await confirmedAmong(client, citizenId, [ticketId])).has(ticketId);
