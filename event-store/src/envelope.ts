import { eventIdFor } from './ids.js';
import type { Actor, NewEvent } from './port.js';

/** What the edge knows about the command that produced some events. */
export interface CommandContext {
  readonly commandId: string;
  /** Defaults to the command id (a command that starts its own conversation). */
  readonly correlationId?: string;
  readonly actor: Actor;
  readonly communeId: string | null;
  readonly recordedAt: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/**
 * The events one command produced, as they are appended: ids derived from the command id (so a
 * retry is recognised by the store), the envelope metadata from the edge.
 */
export function envelopesFor(
  events: readonly { readonly type: string; readonly data: unknown }[],
  context: CommandContext,
  schemaVersion: (type: string) => number,
): NewEvent[] {
  return events.map((event, index) => ({
    type: event.type,
    data: event.data,
    metadata: {
      eventId: eventIdFor(context.commandId, index),
      commandId: context.commandId,
      correlationId: context.correlationId ?? context.commandId,
      causationId: context.commandId,
      actor: context.actor,
      communeId: context.communeId,
      recordedAt: context.recordedAt,
      ...(context.traceparent ? { traceparent: context.traceparent } : {}),
      ...(context.tracestate ? { tracestate: context.tracestate } : {}),
      schemaVersion: schemaVersion(event.type),
    },
  }));
}
