export { createPostgresEventStore, type PostgresEventStore, type PostgresEventStoreOptions } from './event-store.js';
export { SCHEMA_VERSION } from './schema.js';
export { WAKEUP_CHANNEL } from './statements.js';
export { DEFAULT_BATCH_SIZE, DEFAULT_POLL_INTERVAL_MS } from './subscription.js';
export * from './server.js';
export { applySqlFile, inTransaction } from './sql.js';
export { assertSupportedPostgres, OLDEST_POSTGRES_MAJOR, UnsupportedPostgresError, unsupportedPostgres } from './version.js';
export { isDatabaseUnavailable, outliveRestarts } from './connection-loss.js';
