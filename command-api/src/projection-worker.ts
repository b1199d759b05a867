/**
 * Worker-thread entry of the API's projectors (`startPalabre` with `projectorThread: 'worker'`):
 * the read models (unless they run in their own process) and the transparency log, off the
 * thread that serves HTTP. Their round trips no longer wait behind requests in its event loop.
 */
import { workerData } from 'node:worker_threads';
import { openTransparencyLog } from '@palabre/audit';
import { defaultProjectors, type ProjectorThreadData, serveProjectorsInThread } from '@palabre/projections';

export interface ApiProjectorThreadData extends ProjectorThreadData {
  /** Where the transparency log's signing key lives (the API's data dir). */
  readonly dataDir: string;
  /** Whether the read-model projectors run here too (false with PALABRE_PROJECTIONS=external). */
  readonly readModels: boolean;
}

const data = workerData as ApiProjectorThreadData;
await serveProjectorsInThread(async () => [...(data.readModels ? defaultProjectors : []), openTransparencyLog({ dataDir: data.dataDir }).projector]);
