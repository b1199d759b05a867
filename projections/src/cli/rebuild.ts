import pg from 'pg';
import { createPostgresEventStore, formatPosition } from '@palabre/event-store';
import { rebuild } from '../rebuild.js';
import { openDatabase } from './database.js';

/** `npm run rebuild`: replays the whole log into fresh read models and swaps them in. */
async function main(): Promise<void> {
  const database = await openDatabase((line) => console.log(line));
  // A rebuild works on up to six connections at once (its lock, a read ahead, two partitions per projector).
  const pool = new pg.Pool({ connectionString: database.url, max: 8 });
  pool.on('error', () => {});
  try {
    const store = await createPostgresEventStore({ pool });
    let reported = 0;
    const result = await rebuild(store, pool, {
      onProgress: (_position, events) => {
        if (events - reported >= 10_000) {
          reported = events;
          console.log(`  ${events} events projected …`);
        }
      },
    });
    const at = result.position === null ? 'an empty log' : formatPosition(result.position);
    console.log(`Read models rebuilt from ${result.events} events and swapped in at ${at}.`);
    await store.close();
  } finally {
    await pool.end();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
