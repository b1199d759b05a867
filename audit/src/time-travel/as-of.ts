import { replay, parseTicketEvent, type Ticket, ticketStreamId } from '@palabre/domain';
import { type EventStore, formatPosition, type RecordedEvent } from '@palabre/event-store';
import { type TicketDetail, ticketRow, toTicketDetail } from '@palabre/projections';

/** A ticket as the system knew it at `asOf`: replayed from its stream, events recorded up to then. */
export interface TicketAsOf {
  readonly ticketId: string;
  readonly asOf: string;
  readonly ticket: Ticket;
  /** Revision of the last event applied (what If-Match would have carried then). */
  readonly revision: number;
  /** When its first event was recorded (the read model's `createdAt`). */
  readonly createdAt: string;
  readonly lastEvent: RecordedEvent;
}

/** Null when the ticket did not exist yet at `asOf` (or never did). */
export async function ticketAsOf(store: EventStore, ticketId: string, asOf: Date): Promise<TicketAsOf | null> {
  const events = await store.readStream(ticketStreamId(ticketId));
  const limit = asOf.getTime();
  // A stream's events are recorded in revision order: the state then is a prefix of the stream.
  const end = events.findIndex((e) => Date.parse(e.metadata.recordedAt) > limit);
  const known = end < 0 ? events : events.slice(0, end);
  if (known.length === 0) return null;
  const ticket = replay(known.map((e) => parseTicketEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion })));
  return { ticketId, asOf: asOf.toISOString(), ticket, revision: known.length - 1, createdAt: known[0]!.metadata.recordedAt, lastEvent: known[known.length - 1]! };
}

/**
 * The same shape as the read model's TicketDetail, made the way the tickets projector makes its row
 * (deadlines, breach, created and updated times), so a past ticket renders like a current one.
 */
export function ticketDetailAsOf(past: TicketAsOf): TicketDetail {
  const row = ticketRow(past.ticketId, past.ticket, past.revision, formatPosition(past.lastEvent.position), past.createdAt, past.lastEvent.metadata.recordedAt);
  const breachAt = row.breach_at as string | null;
  // As the queries compute it for now: late once past the first missed deadline.
  return toTicketDetail({ ...row, breached: breachAt !== null && Date.parse(breachAt) < Date.parse(past.asOf) });
}
