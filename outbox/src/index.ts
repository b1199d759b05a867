export { Outbox, type OutboxOptions, type DrainResult } from './outbox.js';
export { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';
export { MemoryOutboxStore } from './memory-store.js';
export { IndexedDbOutboxStore, type IndexedDbOutboxOptions } from './idb-store.js';
export type { OutboxEntry, OutboxEvent, OutboxRequest, OutboxStore, OutboxTransport, QueuedPhoto, Failure } from './types.js';
