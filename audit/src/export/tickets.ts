import { type Ticket, evolve, initialState, parseTicketEvent, ticketIdFromStream } from '@palabre/domain';
import type { EventStore } from '@palabre/event-store';
import type { EventEnvelope } from '../log/envelope.js';

export interface TrackedTicket {
  state: Ticket;
  revision: number;
  lastLeafIndex: number;
  /** The ticket's events could not all be read (unknown type or version): no final state. */
  unreadable: boolean;
}

/**
 * Ticket states as of the export's last event, folded with the domain's own `evolve`. A ticket
 * first met after its report (it began before the range) is caught up from its stream once.
 */
export class TicketStates {
  readonly tickets = new Map<string, TrackedTicket>();
  unreadableEvents = 0;

  constructor(private readonly store: EventStore) {}

  /** Folds a ticket event; returns the ticket's state after it, or null for other streams. */
  async apply(envelope: EventEnvelope, leafIndex: number): Promise<TrackedTicket | null> {
    const ticketId = ticketIdFromStream(envelope.stream);
    if (ticketId === null) return null;
    let tracked = this.tickets.get(ticketId);
    if (tracked === undefined) {
      tracked = { state: initialState(), revision: -1, lastLeafIndex: leafIndex, unreadable: false };
      this.tickets.set(ticketId, tracked);
      if (envelope.revision > 0) {
        for (const earlier of await this.store.readStream(envelope.stream, { maxCount: envelope.revision })) {
          this.fold(tracked, earlier.type, earlier.data, earlier.metadata.schemaVersion, earlier.revision);
        }
      }
    }
    if (envelope.revision > tracked.revision) this.fold(tracked, envelope.type, envelope.data, envelope.metadata.schemaVersion, envelope.revision);
    tracked.lastLeafIndex = leafIndex;
    return tracked;
  }

  private fold(tracked: TrackedTicket, type: string, data: unknown, schemaVersion: number, revision: number): void {
    try {
      tracked.state = evolve(tracked.state, parseTicketEvent({ type, data, schemaVersion }));
    } catch {
      tracked.unreadable = true;
      this.unreadableEvents++;
    }
    tracked.revision = revision;
  }
}
