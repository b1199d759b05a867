import { parentPort, workerData } from 'node:worker_threads';
import type { Manifest } from '../bundle/format.js';
import { EventChecker, forEachLine } from './events.js';

/** One stretch of events.jsonl, checked on its own thread. */
interface Task {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly manifest: Manifest;
  readonly root: Uint8Array | null;
  readonly startsFile: boolean;
}

const task = workerData as Task;
const checker = new EventChecker(task.manifest, task.root ? Buffer.from(task.root) : null, task.startsFile);
await forEachLine(task.path, task.start, task.end, (text) => checker.check(text), (chunk) => {
  parentPort!.postMessage({ progress: chunk.length });
});
parentPort!.postMessage({ result: checker.result() });
