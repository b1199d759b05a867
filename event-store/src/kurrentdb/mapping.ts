import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type CurrentStreamState,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { comparePositions, type EventMetadata, type ExpectedRevision, type GlobalPosition, type RecordedEvent } from '../port.js';

export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** KurrentDB reports a missing stream as `no_stream` (or -1 when it does not throw). */
export const toActualRevision = (state: CurrentStreamState): number | 'no_stream' =>
  state === NO_STREAM || state < 0n ? 'no_stream' : Number(state);

/** System events (`$`-typed, `$`-streams, links) are KurrentDB's own bookkeeping, not Palabre's log. */
export function isPalabreEvent(resolved: AllStreamResolvedEvent | ResolvedEvent): boolean {
  const event = resolved.event;
  return event !== undefined && resolved.link === undefined && event.isJson && !event.type.startsWith('$') && !event.streamId.startsWith('$');
}

/** Maps a stored event back to the port; the caller has checked `isPalabreEvent`. */
export function toRecordedEvent(resolved: AllStreamResolvedEvent | ResolvedEvent): RecordedEvent {
  const event = resolved.event!;
  if (!event.position) throw new Error(`KurrentDB returned ${event.streamId}@${event.revision} without a $all position`);
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: { commit: event.position.commit, prepare: event.position.prepare },
    type: event.type,
    data: event.data,
    metadata: event.metadata as unknown as EventMetadata,
  };
}

export const isAfter = (event: RecordedEvent, from: GlobalPosition | null): boolean =>
  from === null || comparePositions(event.position, from) > 0;
