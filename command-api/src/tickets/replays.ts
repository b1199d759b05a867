import { idSchema, ticketStreamId } from '@palabre/domain';
import { commandIdFor, isIdempotencyKey, ticketIdFor } from '../http/headers.js';
import type { CommandOfRequest } from '../http/rate-limit.js';

/** A report's command id: the caller's Idempotency-Key scoped to them, so a retry lands on the same stream. */
export const reportCommandId = (principalId: string, key: string): string => commandIdFor(principalId, key, 'report');

/** An action's command id; without a key each request is a new command. */
export const actionCommandId = (principalId: string, key: string | null, action: string, ticketId: string): string =>
  commandIdFor(principalId, key, `${action}:${ticketId}`);

/** The report a request files, so that the rate limit recognises a replay of an accepted one. */
export const reportOfRequest: CommandOfRequest = (request) => {
  const key = request.header('idempotency-key');
  if (!request.principal || !isIdempotencyKey(key)) return null;
  const commandId = reportCommandId(request.principal.id, key);
  return { streamId: ticketStreamId(ticketIdFor(commandId)), commandId };
};

/** The action a request takes on a ticket, likewise. */
export const actionOfRequest: CommandOfRequest = (request) => {
  const key = request.header('idempotency-key');
  const { id, action } = request.params as { id?: string; action?: string };
  if (!request.principal || !isIdempotencyKey(key) || !action || !idSchema.safeParse(id).success) return null;
  return { streamId: ticketStreamId(id!), commandId: actionCommandId(request.principal.id, key, action, id!) };
};
