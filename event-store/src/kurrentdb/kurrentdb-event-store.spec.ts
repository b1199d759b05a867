import { describe } from 'vitest';
import { describeEventStoreContract } from '../testing/contract.js';
import { createKurrentEventStore } from './event-store.js';

const url = process.env.EVENTSTORE_URL;

// No KurrentDB server can run on a developer machine by default: the suite needs one named.
describe.skipIf(!url)('KurrentDB adapter (skipped: set EVENTSTORE_URL, e.g. kurrentdb://localhost:2113?tls=false)', () => {
  describeEventStoreContract('KurrentDB', async () => {
    const store = await createKurrentEventStore({ connectionString: url! });
    return { store, cleanup: () => store.close() };
  });
});
