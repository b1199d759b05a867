import { type TicketEvent, parseTicketEvent, ticketIdFromStream } from '@palabre/domain';
import type { RecordedEvent } from '@palabre/event-store';

/** A ticket event parsed (and upcast) by the domain, with where it sits in the log. */
export interface ParsedTicketEvent {
  readonly ticketId: string;
  readonly event: TicketEvent;
  readonly recorded: RecordedEvent;
}

/** A ticket's stream: what the tickets and timeline projectors read. */
export const isTicketStream = (streamId: string): boolean => ticketIdFromStream(streamId) !== null;

/**
 * The ticket events of a batch grouped by ticket, each group in log order. Other streams are
 * skipped: the log also carries staff and future aggregates.
 */
export function ticketEventsByTicket(events: readonly RecordedEvent[]): Map<string, ParsedTicketEvent[]> {
  const byTicket = new Map<string, ParsedTicketEvent[]>();
  for (const recorded of events) {
    const ticketId = ticketIdFromStream(recorded.streamId);
    if (ticketId === null) continue;
    const event = parsed(recorded);
    const group = byTicket.get(ticketId);
    if (group) group.push({ ticketId, event, recorded });
    else byTicket.set(ticketId, [{ ticketId, event, recorded }]);
  }
  return byTicket;
}

// Several projectors handle the same batch (side by side in a rebuild): each event is parsed once.
const parsedEvents = new WeakMap<RecordedEvent, TicketEvent>();

function parsed(recorded: RecordedEvent): TicketEvent {
  let event = parsedEvents.get(recorded);
  if (event === undefined) {
    event = parseTicketEvent({ type: recorded.type, data: recorded.data, schemaVersion: recorded.metadata.schemaVersion });
    parsedEvents.set(recorded, event);
  }
  return event;
}

/** Tickets whose first event in the batch is not their first ever: only those can have stored rows. */
export const ticketsSeenBefore = (byTicket: Map<string, ParsedTicketEvent[]>): string[] =>
  [...byTicket].filter(([, group]) => group[0]!.recorded.revision > 0).map(([ticketId]) => ticketId);
