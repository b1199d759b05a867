import { type TicketEvent, parseTicketEvent, ticketIdFromStream } from '@palabre/domain';
import type { RecordedEvent } from '@palabre/event-store';

/** A ticket event parsed (and upcast) by the domain, with where it sits in the log. */
export interface ParsedTicketEvent {
  readonly ticketId: string;
  readonly event: TicketEvent;
  readonly recorded: RecordedEvent;
}

/**
 * The ticket events of a batch grouped by ticket, each group in log order. Other streams are
 * skipped: the log also carries staff and future aggregates.
 */
export function ticketEventsByTicket(events: readonly RecordedEvent[]): Map<string, ParsedTicketEvent[]> {
  const byTicket = new Map<string, ParsedTicketEvent[]>();
  for (const recorded of events) {
    const ticketId = ticketIdFromStream(recorded.streamId);
    if (ticketId === null) continue;
    const event = parseTicketEvent({ type: recorded.type, data: recorded.data, schemaVersion: recorded.metadata.schemaVersion });
    const group = byTicket.get(ticketId);
    if (group) group.push({ ticketId, event, recorded });
    else byTicket.set(ticketId, [{ ticketId, event, recorded }]);
  }
  return byTicket;
}
