import type { EventMetadata, RecordedEvent } from '@palabre/event-store';
import { canonicalJson } from '../canonical-json.js';
import { leafHashOfText } from '../merkle/hashing.js';

/** What a leaf commits to: the event as recorded, without its store-specific position. */
export interface EventEnvelope {
  readonly id: string;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  /** When the edge accepted the command (`metadata.recordedAt`), repeated for readers. */
  readonly recordedAt: string;
}

export const envelopeOf = (event: RecordedEvent): EventEnvelope => ({
  id: event.metadata.eventId,
  stream: event.streamId,
  revision: event.revision,
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  recordedAt: event.metadata.recordedAt,
});

/** SHA-256(0x00 ‖ RFC 8785 JSON of the envelope). */
export const envelopeLeafHash = (envelope: EventEnvelope): Buffer => leafHashOfText(canonicalJson(envelope));

/** `ticket` for `ticket-T01…`: streams are named `<type>-<id>`. */
export const streamTypeOf = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
};
