import type { EventMetadata, RecordedEvent } from '@palabre/event-store';
import { canonicalJson, canonicalString } from '@palabre/event-store';
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

/** The leaf hash of an event: `envelopeLeafHash(envelopeOf(event))`, from the stored canonical text when there is one. */
export const eventLeafHash = (event: RecordedEvent): Buffer => leafHashOfText(envelopeText(event));

/**
 * `canonicalJson(envelopeOf(event))`. When the store kept data and metadata in canonical form, the
 * envelope is put together around them (members in RFC 8785 order: data, id, metadata, recordedAt,
 * revision, stream, type) instead of parsing and writing them again. A revision is a safe
 * non-negative integer, whose canonical form is its decimal digits.
 */
export function envelopeText(event: RecordedEvent): string {
  const stored = event.canonical;
  if (stored === undefined) return canonicalJson(envelopeOf(event));
  const { eventId, recordedAt } = event.metadata;
  return `{"data":${stored.data},"id":${canonicalString(eventId)},"metadata":${stored.metadata},"recordedAt":${canonicalString(recordedAt)},"revision":${event.revision},"stream":${canonicalString(event.streamId)},"type":${canonicalString(event.type)}}`;
}

/** `ticket` for `ticket-T01…`: streams are named `<type>-<id>`. */
export const streamTypeOf = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
};
