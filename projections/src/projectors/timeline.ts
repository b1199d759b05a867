import type pg from 'pg';
import { formatPosition } from '@palabre/event-store';
import type { ProjectedBatch, Projector, TicketChange } from '../projector.js';
import { ticketEventsByTicket } from './ticket-events.js';
import { timelineEntry } from './timeline-summary.js';

interface TicketContext {
  communeId: string | null;
  anonymous: boolean;
}

/** `ticket_timeline`: one readable row per ticket event. */
export const timelineProjector: Projector = {
  name: 'timeline',
  async handle(client: pg.ClientBase, events): Promise<ProjectedBatch> {
    const byTicket = ticketEventsByTicket(events);
    if (byTicket.size === 0) return { changes: [] };

    // The first row of each ticket carries what later rows need: its commune and whether the reporter hides.
    const { rows } = await client.query<{ ticket_id: string; commune_id: string | null; anonymous: boolean | null }>(
      `SELECT ticket_id, commune_id, (summary_data->>'anonymous')::boolean AS anonymous
       FROM ticket_timeline WHERE ticket_id = ANY($1::text[]) AND revision = 0`,
      [[...byTicket.keys()]],
    );
    const contexts = new Map<string, TicketContext>(rows.map((r) => [r.ticket_id, { communeId: r.commune_id, anonymous: r.anonymous ?? false }]));

    const timelineRows: Record<string, unknown>[] = [];
    const routed: { ticket_id: string; commune_id: string }[] = [];
    const changes: TicketChange[] = [];
    for (const [ticketId, group] of byTicket) {
      const context = contexts.get(ticketId) ?? { communeId: null, anonymous: false };
      for (const { event, recorded } of group) {
        if (event.type === 'TicketReported') context.anonymous = event.data.anonymous;
        if (event.type === 'TicketRouted') {
          context.communeId = event.data.communeId;
          routed.push({ ticket_id: ticketId, commune_id: event.data.communeId });
        }
        const entry = timelineEntry(event);
        const actor = recorded.metadata.actor;
        timelineRows.push({
          ticket_id: ticketId,
          revision: recorded.revision,
          commune_id: context.communeId ?? recorded.metadata.communeId,
          position: formatPosition(recorded.position),
          event_id: recorded.metadata.eventId,
          event_type: event.type,
          summary: entry.summary,
          summary_data: entry.data,
          internal_data: entry.internal,
          // An anonymous reporter stays hidden from staff too: citizen actors of such a ticket are not named.
          actor_id: context.anonymous && actor.role === 'citizen' ? null : actor.id,
          actor_role: actor.role,
          at: entry.at,
          visibility: entry.visibility,
        });
      }
      const last = group[group.length - 1]!.recorded;
      changes.push({ ticketId, communeId: context.communeId, revision: last.revision });
    }

    await client.query(INSERT_TIMELINE, [JSON.stringify(timelineRows)]);
    // Rows written before the routing (another batch, or the report itself) join the commune now.
    if (routed.length > 0) await client.query(ROUTE_TIMELINE, [JSON.stringify(routed)]);
    return { changes };
  },
};

// No ON CONFLICT: a repeated (ticket, revision) would mean an event applied twice, which must fail loudly.
const INSERT_TIMELINE = `
  INSERT INTO ticket_timeline (ticket_id, revision, commune_id, position, event_id, event_type, summary, summary_data,
                               internal_data, actor_id, actor_role, at, visibility)
  SELECT ticket_id, revision, commune_id, position, event_id, event_type, summary, summary_data,
         internal_data, actor_id, actor_role, at, visibility
  FROM json_to_recordset($1::json) AS r(ticket_id text, revision integer, commune_id text, position text, event_id text,
       event_type text, summary text, summary_data jsonb, internal_data jsonb, actor_id text, actor_role text,
       at timestamptz, visibility text)`;

const ROUTE_TIMELINE = `
  UPDATE ticket_timeline t SET commune_id = r.commune_id
  FROM json_to_recordset($1::json) AS r(ticket_id text, commune_id text)
  WHERE t.ticket_id = r.ticket_id AND t.commune_id IS DISTINCT FROM r.commune_id`;
