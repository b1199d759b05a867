export { createKurrentEventStore, type KurrentEventStoreOptions } from './event-store.js';
