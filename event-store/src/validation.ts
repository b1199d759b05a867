import { canonicalJson } from './canonical-json.js';
import { InvalidEventError, type CanonicalText, type ExpectedRevision, type NewEvent } from './port.js';
import { isUuid } from './ids.js';

/**
 * Checks an append before any adapter touches its backend, so every adapter rejects the same
 * input the same way and nothing is ever half-appended. Returns each event's data and metadata in
 * RFC 8785 form: every event must have one, since the transparency log hashes that form.
 */
export function validateAppend(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): CanonicalText[] {
  if (typeof streamId !== 'string' || streamId.trim().length === 0) throw new InvalidEventError('Stream id must not be empty');
  if (!streamId.isWellFormed()) throw new InvalidEventError('Stream id must not hold a lone surrogate');
  // `$` streams belong to KurrentDB's system; reserving them keeps both adapters interchangeable.
  if (streamId.startsWith('$')) throw new InvalidEventError(`Stream id must not start with "$": ${streamId}`);
  validateExpected(expected);
  if (!Array.isArray(events) || events.length === 0) throw new InvalidEventError(`Nothing to append to ${streamId}`);
  const ids = new Set<string>();
  return events.map((event, index) => {
    const where = `${streamId} event #${index}`;
    if (typeof event !== 'object' || event === null) throw new InvalidEventError(`${where} is not an object`);
    if (typeof event.type !== 'string' || event.type.trim().length === 0) throw new InvalidEventError(`${where} has no type`);
    if (event.type.startsWith('$')) throw new InvalidEventError(`${where}: type must not start with "$"`);
    if (!event.type.isWellFormed()) throw new InvalidEventError(`${where}: type must not hold a lone surrogate`);
    if (event.data === undefined) throw new InvalidEventError(`${where} (${event.type}) has no data`);
    const metadata = validateMetadata(event, where);
    const id = event.metadata.eventId.toLowerCase();
    if (ids.has(id)) throw new InvalidEventError(`${where} repeats event id ${id} within the batch`);
    ids.add(id);
    return { data: jsonText(event.data, `${where} data`), metadata };
  });
}

function validateExpected(expected: ExpectedRevision): void {
  if (expected === 'no_stream' || expected === 'exists' || expected === 'any') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidEventError(`Expected revision must be 'no_stream', 'exists', 'any' or a revision >= 0, got ${String(expected)}`);
}

function validateMetadata(event: NewEvent, where: string): string {
  const meta = event.metadata as Partial<NewEvent['metadata']> | undefined;
  if (typeof meta !== 'object' || meta === null) throw new InvalidEventError(`${where} has no metadata`);
  if (!isUuid(meta.eventId)) throw new InvalidEventError(`${where}: metadata.eventId must be a UUID, got ${String(meta.eventId)}`);
  for (const field of ['commandId', 'correlationId', 'causationId', 'recordedAt'] as const) {
    if (typeof meta[field] !== 'string' || meta[field].length === 0) throw new InvalidEventError(`${where}: metadata.${field} is missing`);
  }
  if (typeof meta.actor !== 'object' || meta.actor === null || typeof meta.actor.id !== 'string' || typeof meta.actor.role !== 'string') {
    throw new InvalidEventError(`${where}: metadata.actor must have an id and a role`);
  }
  if (meta.communeId !== null && typeof meta.communeId !== 'string') throw new InvalidEventError(`${where}: metadata.communeId must be a string or null`);
  if (!Number.isSafeInteger(meta.schemaVersion)) throw new InvalidEventError(`${where}: metadata.schemaVersion must be an integer`);
  return jsonText(meta, `${where} metadata`);
}

/**
 * The RFC 8785 text of a value, which must be plain JSON: no bigint, function, cycle, non-finite
 * number or lone surrogate, and no NUL character (jsonb, and so a copy of the log in jsonb, refuses it).
 */
function jsonText(value: unknown, where: string): string {
  let text: string;
  try {
    text = canonicalJson(value);
  } catch (error) {
    // A cycle overflows the stack before anything else notices it.
    const reason = error instanceof RangeError ? 'it refers to itself' : (error as Error).message;
    throw new InvalidEventError(`${where} is not JSON: ${reason}`);
  }
  if (text.includes('\\u0000')) throw new InvalidEventError(`${where} contains a NUL character`);
  return text;
}
