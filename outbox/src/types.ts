/** What an entry carries: the app's own request, named by its kind (a report, a paper ballot, a tally sheet). */
export interface OutboxRequest {
  readonly kind: string;
}

/** A photo waiting with its request; `mediaId` is set once the upload succeeded, so it is never sent twice. */
export interface QueuedPhoto {
  data: Blob;
  mediaId: string | null;
}

/** A request kept on the device until the API has acknowledged it. */
export interface OutboxEntry<R extends OutboxRequest = OutboxRequest> {
  /** The Idempotency-Key, generated once when the request is queued: every retry reuses it. */
  key: string;
  request: R;
  photos: QueuedPhoto[];
  queuedAt: number;
  /** `rejected`: the API refused it for good (e.g. outside every commune); it waits for the person to discard it. */
  state: 'waiting' | 'rejected';
  attempts: number;
  nextAttemptAt: number;
  /** The last problem code, e.g. `network` or `location.outside_communes`. */
  lastError: string | null;
}

/** Where entries live: IndexedDB on the device, a Map in unit tests. Each call is atomic on its own. */
export interface OutboxStore<R extends OutboxRequest = OutboxRequest> {
  /** Every entry, oldest first. */
  all(): Promise<OutboxEntry<R>[]>;
  put(entry: OutboxEntry<R>): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * The two calls that deliver an entry: its photos first, then the request naming them. Both may
 * throw; `classify` decides whether to try again. `send` must be idempotent by the key (the API is).
 */
export interface OutboxTransport<R extends OutboxRequest, A> {
  uploadPhoto(photo: Blob): Promise<string>;
  send(request: R, mediaIds: string[], idempotencyKey: string): Promise<A>;
}

/** `retry`: worth another try later (offline, timeout, 5xx); `reject`: the same request will never succeed. */
export interface Failure {
  retry: boolean;
  code: string;
}

export type OutboxEvent<R extends OutboxRequest = OutboxRequest, A = unknown> =
  | { type: 'changed' }
  | { type: 'sent'; key: string; request: R; answer: A }
  | { type: 'rejected'; key: string; request: R; code: string };
