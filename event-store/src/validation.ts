import { InvalidEventError, type ExpectedRevision, type NewEvent } from './port.js';
import { isUuid } from './ids.js';

/**
 * Checks an append before any adapter touches its backend, so every adapter rejects the same
 * input the same way and nothing is ever half-appended. Returns the batch serialised as JSON.
 */
export function validateAppend(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId.trim().length === 0) throw new InvalidEventError('Stream id must not be empty');
  // `$` streams belong to KurrentDB's system; reserving them keeps both adapters interchangeable.
  if (streamId.startsWith('$')) throw new InvalidEventError(`Stream id must not start with "$": ${streamId}`);
  validateExpected(expected);
  if (!Array.isArray(events) || events.length === 0) throw new InvalidEventError(`Nothing to append to ${streamId}`);
  const ids = new Set<string>();
  events.forEach((event, index) => {
    const where = `${streamId} event #${index}`;
    if (typeof event !== 'object' || event === null) throw new InvalidEventError(`${where} is not an object`);
    if (typeof event.type !== 'string' || event.type.trim().length === 0) throw new InvalidEventError(`${where} has no type`);
    if (event.type.startsWith('$')) throw new InvalidEventError(`${where}: type must not start with "$"`);
    if (event.data === undefined) throw new InvalidEventError(`${where} (${event.type}) has no data`);
    validateMetadata(event, where);
    const id = event.metadata.eventId.toLowerCase();
    if (ids.has(id)) throw new InvalidEventError(`${where} repeats event id ${id} within the batch`);
    ids.add(id);
    assertJson(event.data, `${where} data`);
  });
}

function validateExpected(expected: ExpectedRevision): void {
  if (expected === 'no_stream' || expected === 'exists' || expected === 'any') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  throw new InvalidEventError(`Expected revision must be 'no_stream', 'exists', 'any' or a revision >= 0, got ${String(expected)}`);
}

function validateMetadata(event: NewEvent, where: string): void {
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
  assertJson(meta, `${where} metadata`);
}

/** Data must survive a JSON round trip (no bigint, no cycles, no NUL which jsonb refuses). */
function assertJson(value: unknown, where: string): void {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidEventError(`${where} is not JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new InvalidEventError(`${where} is not JSON`);
  if (text.includes('\\u0000')) throw new InvalidEventError(`${where} contains a NUL character`);
}
