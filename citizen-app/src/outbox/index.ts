export { Outbox, type OutboxOptions, type DrainResult } from './outbox.ts';
export { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.ts';
export { MemoryOutboxStore } from './memory-store.ts';
export { IndexedDbOutboxStore } from './idb-store.ts';
export { apiTransport, classifyFailure } from './api-transport.ts';
export type { OutboxEntry, OutboxEvent, OutboxStore, OutboxTransport, QueuedPhoto, Failure } from './types.ts';
