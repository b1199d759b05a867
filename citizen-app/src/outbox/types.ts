import type { ReportRequest } from '../api/types.ts';

/** A photo waiting with its report; `mediaId` is set once the upload succeeded, so it is never sent twice. */
export interface QueuedPhoto {
  data: Blob;
  mediaId: string | null;
}

/** A report kept on the phone until the API has acknowledged it. */
export interface OutboxEntry {
  /** The Idempotency-Key, generated once when the report is queued: every retry reuses it. */
  key: string;
  report: ReportRequest;
  photos: QueuedPhoto[];
  queuedAt: number;
  /** `rejected`: the API refused it for good (e.g. outside every commune); it waits for the person to discard it. */
  state: 'waiting' | 'rejected';
  attempts: number;
  nextAttemptAt: number;
  /** The last problem code, e.g. `network` or `location.outside_communes`. */
  lastError: string | null;
}

/** Where entries live: IndexedDB on the phone, a Map in unit tests. Each call is atomic on its own. */
export interface OutboxStore {
  /** Every entry, oldest first. */
  all(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  remove(key: string): Promise<void>;
}

/** The two calls that deliver an entry. Both may throw; `classify` decides whether to try again. */
export interface OutboxTransport {
  uploadPhoto(photo: Blob): Promise<string>;
  submitReport(report: ReportRequest & { mediaIds: string[] }, idempotencyKey: string): Promise<{ id: string }>;
}

/** `retry`: worth another try later (offline, timeout, 5xx); `reject`: the same request will never succeed. */
export interface Failure {
  retry: boolean;
  code: string;
}

export type OutboxEvent =
  | { type: 'changed' }
  | { type: 'sent'; key: string; ticketId: string; report: ReportRequest }
  | { type: 'rejected'; key: string; code: string };
