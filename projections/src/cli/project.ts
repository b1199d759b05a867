import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createPostgresEventStore, outliveRestarts } from '@palabre/event-store';
import { migrate } from '../migrate.js';
import { defaultProjectors } from '../projectors/index.js';
import { startProjectors } from '../runner.js';

/**
 * Runs the projectors against DATABASE_URL: forever (until SIGINT/SIGTERM), retrying failed
 * batches; or with `--until-caught-up` until every checkpoint reaches the head of the log, failing
 * on the first error (a catch-up job should not retry silently).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'batch-size': { type: 'string', default: '500' }, 'until-caught-up': { type: 'boolean', default: false } },
  });
  // `npm start` writes where its embedded PostgreSQL listens, so this process can join it.
  const urlFile = join(resolve(process.env.PALABRE_DATA_DIR ?? '.palabre'), 'database.url');
  const connectionString = process.env.DATABASE_URL ?? (existsSync(urlFile) ? readFileSync(urlFile, 'utf8').trim() : undefined);
  if (!connectionString) throw new Error(`Set DATABASE_URL, or start the API first (npm start) so that ${urlFile} names its database`);
  // Lives through a restart of the server: its projectors then resume from their checkpoints.
  const pool = outliveRestarts(new pg.Pool({ connectionString, max: 6 }));
  const store = await createPostgresEventStore({ pool });
  await migrate(pool);
  const untilCaughtUp = values['until-caught-up'];
  let failed: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (failed = reject));
  const group = startProjectors(store, pool, defaultProjectors, {
    batchSize: Number(values['batch-size']),
    onError: (error, name) => {
      console.error(`projector ${name}: ${(error as Error).message}`);
      if (untilCaughtUp) failed(error);
    },
  });
  const shutdown = async () => {
    await group.stop();
    await store.close();
    await pool.end();
  };
  if (untilCaughtUp) {
    try {
      await Promise.race([group.waitFor(await store.headPosition()), failure]);
    } finally {
      await shutdown();
    }
    return;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await shutdown();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
