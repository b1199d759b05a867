import { type Failure, IndexedDbOutboxStore, Outbox, type OutboxEntry, type OutboxRequest, type OutboxStore } from '@palabre/outbox';
import type { Answers } from '@palabre/domain';
import type { ApiClient } from '../api/client.js';
import { ApiProblem, NetworkError } from '../api/problem.js';

/**
 * What a commune agent's console keeps until the API has it: a polling table's paper ballots and,
 * when the table closes, its tally sheet with photos. Made offline in a village, sent when the
 * network returns, each exactly once (the outbox's Idempotency-Key).
 */
export type ConsoleRequest =
  | { kind: 'paper-ballot'; consultationId: string; ballot: { citizenId: string; pollingTableId: string; answers: Answers } }
  | { kind: 'tally-sheet'; consultationId: string; sheet: { pollingTableId: string; ballotsOnSheet: number; note?: string } };

/** A paper ballot is answered with its receipt; a sheet with the consultation's revision. */
export type ConsoleAnswer = { receipt: string } | { revision: number };
export type ConsoleOutbox = Outbox<ConsoleRequest, ConsoleAnswer>;
export type ConsoleOutboxEntry = OutboxEntry<ConsoleRequest>;

const path = (consultationId: string, what: string) => `/api/consultations/${encodeURIComponent(consultationId)}/${what}`;

async function send(api: ApiClient, request: ConsoleRequest, mediaIds: string[], idempotencyKey: string): Promise<ConsoleAnswer> {
  switch (request.kind) {
    case 'paper-ballot':
      return (await api.request<{ receipt: string }>(path(request.consultationId, 'paper-ballots'), { method: 'POST', json: request.ballot, idempotencyKey })).data;
    case 'tally-sheet':
      return (await api.request<{ revision: number }>(path(request.consultationId, 'tally-sheets'), { method: 'POST', json: { ...request.sheet, mediaIds }, idempotencyKey })).data;
  }
}

/**
 * No answer, a server in trouble, or a session to sign in again: keep it and try later (a sign-in
 * wakes the outbox). Any other refusal is about the request itself: set aside with its reason.
 */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof NetworkError) return { retry: true, code: 'network' };
  if (error instanceof ApiProblem) {
    const retry = error.status >= 500 || error.status === 429 || error.status === 408 || error.status === 401 || error.code === 'ballot.concurrent';
    return { retry, code: error.code };
  }
  return { retry: true, code: 'unknown' };
}

/** The IndexedDB store, opened in the background: the outbox exists at once, its first read waits for the database. */
class OpeningStore<R extends OutboxRequest> implements OutboxStore<R> {
  constructor(private readonly opening: Promise<OutboxStore<R>>) {}
  async all() {
    return (await this.opening).all();
  }
  async put(entry: OutboxEntry<R>) {
    return (await this.opening).put(entry);
  }
  async remove(key: string) {
    return (await this.opening).remove(key);
  }
}

/** Only one console tab at a time sends (Web Locks); the server's idempotency makes an overlap harmless anyway. */
function exclusive<T>(task: () => Promise<T>): Promise<T | undefined> {
  if (!('locks' in navigator)) return task();
  return navigator.locks.request('palabre-console-outbox', { ifAvailable: true }, (lock) => (lock ? task() : undefined));
}

export function createConsoleOutbox(api: ApiClient): ConsoleOutbox {
  const outbox: ConsoleOutbox = new Outbox<ConsoleRequest, ConsoleAnswer>({
    store: new OpeningStore(IndexedDbOutboxStore.open<ConsoleRequest>({ name: 'palabre-console' })),
    transport: { uploadPhoto: async (photo) => (await api.uploadPhoto(photo, 'tally-sheet.jpg')).mediaId, send: (request, mediaIds, key) => send(api, request, mediaIds, key) },
    classify: classifyFailure,
    // Signed out, nothing can be sent: wait for the sign-in rather than count failures.
    isOnline: () => navigator.onLine && api.state.kind === 'active',
    newKey: () => `console-${crypto.randomUUID()}`,
    exclusive,
  });
  window.addEventListener('online', () => void outbox.drain({ force: true }));
  api.subscribe((state) => {
    if (state.kind === 'active') void outbox.drain({ force: true });
  });
  void outbox.drain();
  return outbox;
}
