import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { createPostgresEventStore, outliveRestarts } from '@palabre/event-store';
import type { Projector } from '../projector.js';
import { startProjectors } from '../runner.js';
import type { FromProjectorThread, ProjectorThreadData, ToProjectorThread } from './messages.js';

/**
 * Under load, each projector of the thread commits at most every this many milliseconds: batches
 * of a few events cost the database and the thread nearly as much as batches of hundreds.
 */
const DEFAULT_MIN_BATCH_INTERVAL_MS = 15;

/** How the thread's connections show in `pg_stat_activity`. */
export const PROJECTOR_THREAD_APPLICATION = 'palabre-projectors';

/**
 * Runs `projectors` in the worker thread calling it (the body of an entry script started by
 * `startProjectorsInThread`), on its own connections, until the main thread says stop. Committed
 * batches, failures and `waitFor` answers go to the main thread.
 */
export async function serveProjectorsInThread(projectors: readonly Projector[] | (() => Promise<readonly Projector[]>)): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveProjectorsInThread runs in a worker thread');
  const data = workerData as ProjectorThreadData;
  const post = (message: FromProjectorThread) => port.postMessage(message);
  try {
    const list = typeof projectors === 'function' ? await projectors() : projectors;
    // A subscription holds a connection for each projector; their batches commit side by side, on
    // connections kept open (they are in use all day, and show by name in pg_stat_activity).
    const pool = outliveRestarts(new pg.Pool({ connectionString: data.databaseUrl, max: 2 * list.length, idleTimeoutMillis: 0, application_name: PROJECTOR_THREAD_APPLICATION }));
    const store = await createPostgresEventStore({ pool });
    const group = startProjectors(store, pool, list, {
      minBatchIntervalMs: data.minBatchIntervalMs ?? DEFAULT_MIN_BATCH_INTERVAL_MS,
      ...(data.batchSize === undefined ? {} : { batchSize: data.batchSize }),
      ...(data.origin === undefined ? {} : { origin: data.origin }),
      onBatch: (batch) => post({ type: 'batch', batch }),
      onError: (error, projector) => post({ type: 'error', projector, message: error instanceof Error ? error.message : String(error) }),
    });
    port.on('message', (message: ToProjectorThread) => {
      if (message.type === 'waitFor') {
        void group.waitFor(message.position).then(() => post({ type: 'reached', id: message.id }));
        return;
      }
      void (async () => {
        await group.stop();
        await store.close();
        await pool.end();
        port.close(); // the thread then ends, which is what the main thread waits for
      })();
    });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    port.close();
  }
}
