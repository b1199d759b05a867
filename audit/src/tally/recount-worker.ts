import { parentPort, workerData } from 'node:worker_threads';
import { readConsultationStretch } from './recount.js';

/** One stretch of events.jsonl read for a recount on its own thread. */
const task = workerData as { path: string; start: number; end: number; consultationId: string };
parentPort!.postMessage(await readConsultationStretch(task.path, task.start, task.end, task.consultationId));
