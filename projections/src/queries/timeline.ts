import type pg from 'pg';

export interface TimelineItem {
  readonly revision: number;
  readonly eventType: string;
  /** Stable key such as `ticket.assigned`; clients translate it (English, French) with `data`. */
  readonly summary: string;
  readonly data: Record<string, unknown>;
  /** Staff only: agents, previous assignees, routing rule. Absent from the public history. */
  readonly internal?: Record<string, unknown>;
  /** Staff only; null when the actor is a citizen on an anonymous ticket. */
  readonly actorId?: string | null;
  readonly actorRole: string;
  readonly at: string;
  readonly visibility: 'public' | 'internal';
  readonly position: string;
}

export interface Timeline {
  readonly items: TimelineItem[];
  /**
   * The ticket revision the history has reached, internal rows counted (null before its first row).
   * The timeline has its own projector: a client holding a newer ticket knows its history is behind.
   */
  readonly revision: number | null;
}

/** A ticket's history in stream order; the public history (for citizens) omits internal rows and details. */
export async function getTimeline(client: pg.ClientBase, ticketId: string, options: { includeInternal: boolean }): Promise<Timeline> {
  // One statement, so the revision and the rows come from the same snapshot; the outer join keeps
  // the revision when no row is shown.
  const { rows } = await client.query(
    `SELECT reached.revision AS reached, t.revision, t.event_type, t.summary, t.summary_data, t.internal_data, t.actor_id, t.actor_role, t.at, t.visibility, t.position
     FROM (SELECT max(revision) AS revision FROM read.ticket_timeline WHERE ticket_id = $1) reached
     LEFT JOIN read.ticket_timeline t ON t.ticket_id = $1 AND ($2 OR t.visibility = 'public')
     ORDER BY t.revision`,
    [ticketId, options.includeInternal],
  );
  const items = rows
    .filter((r) => r.revision !== null)
    .map((r) => ({
      revision: r.revision,
      eventType: r.event_type,
      summary: r.summary,
      data: r.summary_data,
      ...(options.includeInternal ? { internal: r.internal_data, actorId: r.actor_id } : {}),
      actorRole: r.actor_role,
      at: (r.at as Date).toISOString(),
      visibility: r.visibility,
      position: r.position,
    }));
  return { items, revision: rows[0]?.reached ?? null };
}
