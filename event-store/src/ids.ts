import { createHash } from 'node:crypto';

/** Namespace of Palabre event ids (fixed forever: changing it would break retry idempotency). */
const EVENT_ID_NAMESPACE = 'c2705f53-38a0-4ae4-b397-560dc1e5b8d2';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/**
 * The id of the `index`-th event produced by a command: a UUID v5 (SHA-1, RFC 9562) of the command
 * id, so a retried command yields the same event ids and the store recognises the retry.
 */
export function eventIdFor(commandId: string, index: number): string {
  if (commandId.length === 0) throw new RangeError('commandId must not be empty');
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`index must be a non-negative integer, got ${index}`);
  const hash = createHash('sha1')
    .update(Buffer.from(EVENT_ID_NAMESPACE.replaceAll('-', ''), 'hex'))
    .update(`${commandId}#${index}`, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
