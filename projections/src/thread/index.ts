import { Worker } from 'node:worker_threads';
import { comparePositions, type GlobalPosition } from '@palabre/event-store';
import type { BatchInfo, ProjectorGroup, ProjectorHandle } from '../runner.js';
import type { FromProjectorThread, ProjectorThreadData, ToProjectorThread } from './messages.js';

export { PROJECTOR_THREAD_APPLICATION, serveProjectorsInThread } from './serve.js';
export type { ProjectorThreadData } from './messages.js';

/** How long a thread may take to stop cleanly before it is terminated. */
const STOP_TIMEOUT_MS = 10_000;

export interface ProjectorThreadOptions {
  /** A compiled entry script that calls `serveProjectorsInThread`. */
  readonly script: URL;
  /** What the script gets as `workerData`. */
  readonly data: ProjectorThreadData;
  /** The projectors the script serves, by name (`ProjectorGroup.handles`). */
  readonly names: readonly string[];
  /** Each committed batch, in the main thread (metrics, live updates). */
  readonly onBatch?: (batch: BatchInfo) => void;
  /** A failed batch (the thread retries it from its checkpoint), or the thread itself failing. */
  readonly onError?: (error: Error, projector: string) => void;
  /** Pause before a thread that died is started again (default 1000 ms). */
  readonly restartDelayMs?: number;
}

/**
 * Projectors in a worker thread with its own connections, as `startProjectors` would run them in
 * this one: their round trips do not wait behind this thread's other work. A thread that dies is
 * started again and continues from its checkpoints; `waitFor` calls carry over.
 */
export function startProjectorsInThread(options: ProjectorThreadOptions): ProjectorGroup {
  const { script, data, onBatch = () => {}, onError = () => {}, restartDelayMs = 1000 } = options;
  const positions = new Map<string, GlobalPosition>();
  const waits = new Map<number, { position: GlobalPosition | null; resolve: () => void }>();
  let nextId = 0;
  let stopping = false;
  let worker: Worker;
  let exited: Promise<void>;

  const send = (message: ToProjectorThread) => worker.postMessage(message);
  const start = () => {
    worker = new Worker(script, { workerData: data });
    worker.on('message', (message: FromProjectorThread) => {
      switch (message.type) {
        case 'batch':
          positions.set(message.batch.projector, message.batch.to);
          onBatch(message.batch);
          break;
        case 'error':
          // Once stopping, a failure is the shutdown's (the database may go first), as in this thread.
          if (!stopping) onError(new Error(message.message), message.projector);
          break;
        case 'reached':
          waits.get(message.id)?.resolve();
          waits.delete(message.id);
          break;
        case 'failed':
          onError(new Error(message.message), 'thread');
          break;
      }
    });
    worker.on('error', (error) => onError(error, 'thread'));
    exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        resolve();
        if (stopping) return;
        onError(new Error('the projectors thread stopped; starting it again'), 'thread');
        setTimeout(() => {
          if (stopping) return;
          start();
          for (const [id, wait] of waits) send({ type: 'waitFor', id, position: wait.position });
        }, restartDelayMs).unref();
      }),
    );
  };
  start();

  const waitFor = (position: GlobalPosition | null): Promise<void> =>
    new Promise<void>((resolve) => {
      const id = nextId++;
      waits.set(id, { position, resolve });
      send({ type: 'waitFor', id, position });
    });

  const handles: ProjectorHandle[] = options.names.map((name) => ({
    name,
    position: () => positions.get(name) ?? null,
    waitFor: async (position) => {
      // The thread answers for all its projectors at once; past positions need no round trip.
      const known = positions.get(name);
      if (position === null || (known && comparePositions(known, position) >= 0)) return;
      await waitFor(position);
    },
    stop: () => group.stop(), // one thread serves them all: stopping one stops the thread
  }));

  const group: ProjectorGroup = {
    handles,
    waitFor,
    async stop() {
      if (stopping) return exited;
      stopping = true;
      send({ type: 'stop' });
      // A thread stuck in a query must not hold the process up.
      const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  return group;
}
