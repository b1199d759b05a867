import {
  type Ticket,
  type TicketCommand,
  type TicketEvent,
  decide,
  evolve,
  initialState,
  parseTicketEvent,
  ticketEventVersions,
  ticketStreamId,
} from '@palabre/domain';
import { type EventStore, type NewEvent, envelopesFor } from '@palabre/event-store';

/** The events a command produced, as the edge appends them: ids derived from the command id, metadata from the edge. */
export function toNewEvents(command: TicketCommand, ticket: Ticket, events: readonly TicketEvent[]): NewEvent[] {
  const communeId = ticket.communeId ?? (command.type === 'SubmitReport' ? command.data.routing.communeId : command.meta.communeId);
  const { commandId, actor, now } = command.meta;
  return envelopesFor(events, { commandId, actor, communeId, recordedAt: now }, (type) => ticketEventVersions[type as keyof typeof ticketEventVersions]);
}

/**
 * What a command handler does at the edge, for the demo: load the stream, decide, append.
 * A command already in the log (same command id) appends nothing, so reruns are harmless.
 */
export async function executeTicketCommand(store: EventStore, command: TicketCommand): Promise<{ ticket: Ticket; appended: number }> {
  const streamId = ticketStreamId(command.data.ticketId);
  const recorded = await store.readStream(streamId);
  const ticket = recorded
    .map((e) => parseTicketEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion }))
    .reduce(evolve, initialState());
  if (recorded.some((e) => e.metadata.commandId === command.meta.commandId)) return { ticket, appended: 0 };
  const events = decide(command, ticket);
  if (events.length === 0) return { ticket, appended: 0 };
  await store.append(streamId, toNewEvents(command, ticket, events), recorded.length === 0 ? 'no_stream' : recorded.length - 1);
  return { ticket: events.reduce(evolve, ticket), appended: events.length };
}
