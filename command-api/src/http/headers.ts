import { createHash, randomUUID } from 'node:crypto';
import { ProblemError } from './problem.js';

const KEY = /^[A-Za-z0-9._:-]{8,200}$/;
export const isIdempotencyKey = (value: string | undefined): value is string => value !== undefined && KEY.test(value);

/** `Idempotency-Key` (IETF draft): required where a retry must not create a second report. */
export function requireIdempotencyKey(value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new ProblemError(428, 'idempotency_key.missing', 'Send an Idempotency-Key header so that a retried report is not filed twice.', [
      { path: 'header.idempotency-key', message: 'required' },
    ]);
  }
  if (!KEY.test(value)) {
    throw new ProblemError(400, 'idempotency_key.invalid', 'The Idempotency-Key must be 8 to 200 letters, digits or . _ : -', [
      { path: 'header.idempotency-key', message: 'invalid format' },
    ]);
  }
  return value;
}

/** Optional on actions: a retried action with the same key answers as the first did. */
export function optionalIdempotencyKey(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : requireIdempotencyKey(value);
}

/** `If-Match: "7"` → 7. Staff act on the revision they saw; missing is 428, malformed 400. */
export function requireRevision(value: string | undefined): number {
  if (value === undefined || value === '') {
    throw new ProblemError(428, 'if_match.missing', 'Send If-Match with the revision (ETag) of the ticket you acted on.', [
      { path: 'header.if-match', message: 'required' },
    ]);
  }
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value.trim());
  if (!match) {
    throw new ProblemError(400, 'if_match.invalid', 'If-Match must be the ETag of the ticket, such as "3".', [
      { path: 'header.if-match', message: 'not a revision' },
    ]);
  }
  return Number(match[1]);
}

export const etag = (revision: number): string => `"${revision}"`;

/**
 * Command ids scope the client's key to the caller, so two devices picking the same key never
 * collide; without a key each request is a new command.
 */
export function commandIdFor(principalId: string, key: string | null, purpose: string): string {
  if (key === null) return randomUUID();
  return createHash('sha256').update(`${purpose}\n${principalId}\n${key}`).digest('base64url').slice(0, 32);
}

/** A short, url-safe aggregate id derived from the command id, so a retried creation lands on the same stream. */
export function aggregateIdFor(kind: string, prefix: string, commandId: string): string {
  const digest = createHash('sha256').update(`${kind}\n${commandId}`).digest();
  return `${prefix}${base32(digest).slice(0, 12)}`;
}

export const ticketIdFor = (commandId: string): string => aggregateIdFor('ticket', 'T', commandId);
export const consultationIdFor = (commandId: string): string => aggregateIdFor('consultation', 'K', commandId);
export const proposalIdFor = (commandId: string): string => aggregateIdFor('proposal', 'P', commandId);

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford: no I, L, O, U — easy to read over the phone

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}
