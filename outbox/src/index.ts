export { Outbox, type OutboxOptions, type DrainResult } from './outbox.ts';
export { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.ts';
export { MemoryOutboxStore } from './memory-store.ts';
export { IndexedDbOutboxStore, type IndexedDbOutboxOptions } from './idb-store.ts';
export type { OutboxEntry, OutboxEvent, OutboxRequest, OutboxStore, OutboxTransport, QueuedPhoto, Failure } from './types.ts';
