import { type Ticket, evolve, initialState, parseTicketEvent, ticketIdFromStream } from '@palabre/domain';
import type { EventStore } from '@palabre/event-store';
import type { EventEnvelope } from '../log/envelope.js';
import { StreamStates } from './stream-states.js';

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
  unreadableEvents = 0;
  private readonly streams: StreamStates<TrackedTicket>;

  constructor(store: EventStore) {
    this.streams = new StreamStates<TrackedTicket>(store, {
      keyOf: ticketIdFromStream,
      start: () => ({ state: initialState(), revision: -1, lastLeafIndex: -1, unreadable: false }),
      fold: (tracked, event) => {
        try {
          tracked.state = evolve(tracked.state, parseTicketEvent(event));
        } catch {
          tracked.unreadable = true;
          this.unreadableEvents++;
        }
      },
    });
  }

  get tickets(): ReadonlyMap<string, TrackedTicket> {
    return this.streams.states;
  }

  /** Folds a ticket event; returns the ticket's state after it, or null for other streams. */
  async apply(envelope: EventEnvelope, leafIndex: number): Promise<TrackedTicket | null> {
    const tracked = await this.streams.apply(envelope);
    if (tracked) tracked.lastLeafIndex = leafIndex;
    return tracked;
  }
}
