import type pg from 'pg';
import { formatPosition } from '@palabre/event-store';
import type { ProjectedBatch, Projector, ProjectedChange } from '../projector.js';
import { isTicketStream, ticketEventsByTicket, ticketsSeenBefore } from './ticket-events.js';
import { timelineEntry } from './timeline-summary.js';
import { copyColumns, insertRows } from '../copy.js';

interface TicketContext {
  communeId: string | null;
  anonymous: boolean;
}

/** `ticket_timeline`: one readable row per ticket event. */
export const timelineProjector: Projector = {
  name: 'timeline',
  tables: ['ticket_timeline'],
  reads: isTicketStream,
  async handle(client: pg.ClientBase, events): Promise<ProjectedBatch> {
    const byTicket = ticketEventsByTicket(events);
    if (byTicket.size === 0) return { changes: [] };

    // The first row of each ticket carries what later rows need: its commune and whether the reporter hides.
    const seenBefore = ticketsSeenBefore(byTicket);
    const { rows } =
      seenBefore.length === 0
        ? { rows: [] }
        : await client.query<{ ticket_id: string; commune_id: string | null; anonymous: boolean | null }>(
            `SELECT ticket_id, commune_id, (summary_data->>'anonymous')::boolean AS anonymous
             FROM ticket_timeline WHERE ticket_id = ANY($1::text[]) AND revision = 0`,
            [seenBefore],
          );
    const contexts = new Map<string, TicketContext>(rows.map((r) => [r.ticket_id, { communeId: r.commune_id, anonymous: r.anonymous ?? false }]));

    const timelineRows: Record<string, unknown>[] = [];
    const routed: { ticket_id: string; commune_id: string }[] = [];
    const changes: ProjectedChange[] = [];
    for (const [ticketId, group] of byTicket) {
      const stored = contexts.get(ticketId);
      const context = stored ?? { communeId: null, anonymous: false };
      // Every row of a ticket belongs to the commune it was (last) routed to, earlier rows included:
      // rows of this batch get it directly, rows of earlier batches are moved below.
      const lastRouting = group.findLast(({ event }) => event.type === 'TicketRouted')?.event;
      if (lastRouting?.type === 'TicketRouted') {
        context.communeId = lastRouting.data.communeId;
        if (stored) routed.push({ ticket_id: ticketId, commune_id: lastRouting.data.communeId });
      }
      for (const { event, recorded } of group) {
        if (event.type === 'TicketReported') context.anonymous = event.data.anonymous;
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
      changes.push({ kind: 'ticket', id: ticketId, communeId: context.communeId, revision: last.revision });
    }

    await insertRows(client, 'ticket_timeline', TIMELINE_COLUMNS, timelineRows);
    // Rows written by earlier batches join the commune the ticket was routed to in this one.
    if (routed.length > 0) await client.query(ROUTE_TIMELINE, [JSON.stringify(routed)]);
    return { changes };
  },
};

// Inserted: a repeated (ticket, revision) would mean an event applied twice, which must fail loudly.
const TIMELINE_COLUMNS = copyColumns(`ticket_id text, revision integer, commune_id text, position text, event_id text, event_type text,
  summary text, summary_data json, internal_data json, actor_id text, actor_role text, at timestamptz, visibility text`);

const ROUTE_TIMELINE = `
  UPDATE ticket_timeline t SET commune_id = r.commune_id
  FROM json_to_recordset($1::json) AS r(ticket_id text, commune_id text)
  WHERE t.ticket_id = r.ticket_id AND t.commune_id IS DISTINCT FROM r.commune_id`;
