import { randomBytes } from 'node:crypto';
import { describeEventStoreContract } from '../testing/contract.js';
import { createTestDatabase } from '../testing/database.js';
import { createPostgresEventStore } from './event-store.js';

let database: Promise<string> | undefined;
/** One database per file; each store gets its own schema, so tests never see each other's events. */
export const testDatabase = () => (database ??= createTestDatabase('event_store'));
export const freshSchema = () => `es_${randomBytes(4).toString('hex')}`;

describeEventStoreContract('PostgreSQL', async () => {
  const store = await createPostgresEventStore({ connectionString: await testDatabase(), schema: freshSchema() });
  return { store, cleanup: () => store.close() };
});
