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

/** A ticket's history in stream order; the public history (for citizens) omits internal rows and details. */
export async function getTimeline(client: pg.ClientBase, ticketId: string, options: { includeInternal: boolean }): Promise<TimelineItem[]> {
  const { rows } = await client.query(
    `SELECT revision, event_type, summary, summary_data, internal_data, actor_id, actor_role, at, visibility, position
     FROM read.ticket_timeline
     WHERE ticket_id = $1 AND ($2 OR visibility = 'public')
     ORDER BY revision`,
    [ticketId, options.includeInternal],
  );
  return rows.map((r) => ({
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
}
