import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { GlobalPosition } from '@palabre/event-store';
import type { BundleFile, ExportScope } from '../bundle/format.js';
import type { Queryable } from '../log/tree-store.js';
import { hashLevels, levelBuffers, levelRuns, MemoryTree } from '../merkle/tree.js';
import type { BundleFileWriter } from './files.js';
import type { SegmentLines } from './jsonl-lines.js';
import type { BuildMessage, JsonlWorkerData, SegmentRequest, TreeMessage } from './jsonl-worker.js';

// The compiled worker, from src/ (tests) and dist/ alike: both lead to dist/export/.
const WORKER_SCRIPT = new URL('../../dist/export/jsonl-worker.js', import.meta.url);

/**
 * A worker formats short-lived text and objects by the million: a larger young generation means
 * fewer scavenges, each no dearer (they cost what survives, and little does).
 */
const YOUNG_GENERATION_MB = 64;

/** Whether this installation can export in worker threads (a source checkout needs `npm run build`). */
export const parallelExportAvailable = (): boolean => existsSync(fileURLToPath(WORKER_SCRIPT));

export interface JsonlWorkersOptions {
  readonly connectionString: string;
  readonly schema: string;
  readonly scope: ExportScope;
  readonly workers: number;
  readonly pageSize: number;
}

export interface ParallelJsonlOptions {
  readonly db: Queryable;
  readonly tree: MemoryTree;
  readonly treeSize: number;
  readonly range: { readonly first: number; readonly end: number; readonly startAfter: GlobalPosition | null };
  readonly writer: BundleFileWriter;
  readonly segmentSize: number;
  readonly onProgress: (done: number, total: number) => void;
}

/**
 * Worker threads for the JSONL file of one export, started early: they load their code and
 * connect while this thread loads the tree. Then `write` cuts the leaf range into segments, each
 * worker reads and formats the segments it is given (canonical JSON and proofs are most of an
 * export's CPU), and this thread writes and hashes them in leaf order. A few segments run ahead at
 * most, so memory stays bounded whatever the size of the log. The file is byte for byte what a
 * single thread writes. `close` must follow, whatever happened.
 */
export class JsonlWorkers {
  private readonly workers: Worker[];
  /** A worker that died before `write` listened (it then fails at once). */
  private failure: Error | null = null;

  constructor(options: JsonlWorkersOptions) {
    const data: JsonlWorkerData = { connectionString: options.connectionString, schema: options.schema, scope: options.scope, pageSize: options.pageSize };
    this.workers = Array.from({ length: options.workers }, () => {
      const worker = new Worker(WORKER_SCRIPT, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      worker.on('error', (error) => (this.failure ??= error));
      return worker;
    });
  }

  /** Buffers in shared memory for every level of a tree of `size` leaves: fill level 0, then `buildTree`. */
  static treeLevels(size: number): Buffer[] {
    return levelBuffers(size, (bytes) => Buffer.from(new SharedArrayBuffer(bytes)));
  }

  /**
   * The tree over the leaves in `levels[0]` (from `treeLevels`): the workers hash its lower levels
   * side by side, each under its own run of leaves, and this thread the few nodes above them.
   */
  async buildTree(levels: Buffer[], size: number): Promise<MemoryTree> {
    if (this.failure) throw this.failure;
    const { highest, runs } = levelRuns(size, this.workers.length);
    const shared = levels.map((level) => level.buffer as SharedArrayBuffer);
    await Promise.all(
      runs.map(([from, to], k) =>
        this.ask(this.workers[k]!, { build: { levels: shared, from, to, lowest: 1, highest } } satisfies BuildMessage, (answer) => (answer as { built?: boolean }).built === true),
      ),
    );
    hashLevels(levels, 0, size, highest + 1, levels.length - 1);
    return MemoryTree.fromLevels(levels);
  }

  /** Posts `message` and waits for the answer `isAnswer` recognises; a worker failing meanwhile rejects. */
  private ask(worker: Worker, message: unknown, isAnswer: (answer: unknown) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (answer: unknown) => {
        if (!isAnswer(answer)) return;
        settle();
        resolve();
      };
      const onError = (error: Error) => {
        settle();
        reject(error);
      };
      const onExit = (code: number) => onError(new Error(`An export worker stopped with code ${code}`));
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(message);
    });
  }

  async write(options: ParallelJsonlOptions): Promise<{ file: BundleFile; records: number; warnings: string[] }> {
    const { range } = options;
    if (this.failure) throw this.failure;
    const segments = await segmentsOf(options.db, range, options.segmentSize);
    const levels = options.tree.sharedLevels();
    for (const worker of this.workers) worker.postMessage({ tree: { levels, size: options.treeSize } } satisfies TreeMessage);
    const workers = this.workers.slice(0, Math.max(1, Math.min(this.workers.length, segments.length)));
    const done = new Map<number, SegmentLines>();
    const warnings: string[] = [];
    let records = 0;
    await new Promise<void>((resolve, reject) => {
      let dispatched = 0;
      let written = 0;
      let writing = Promise.resolve();
      const idle = [...workers];
      const dispatch = () => {
        // Bounded look-ahead: segments finished but not yet written wait in memory.
        while (idle.length > 0 && dispatched < segments.length && dispatched < written + 2 * workers.length) {
          idle.pop()!.postMessage(segments[dispatched++]!);
        }
      };
      const writeReady = () => {
        writing = writing.then(async () => {
          for (let next = done.get(written); next !== undefined; next = done.get(written)) {
            done.delete(written);
            const segment = segments[written]!;
            await options.writer.writeBytes(next.bytes, next.records);
            records += next.records;
            if (next.missing > 0) warnings.push(`The log now holds ${next.missing} events fewer than the tree recorded in leaves ${segment.first}–${segment.end - 1}.`);
            written++;
            options.onProgress(segment.end - range.first, range.end - range.first);
          }
          if (written === segments.length) resolve();
          else dispatch();
        }, reject);
      };
      for (const worker of workers) {
        worker.on('message', (message: { ok: true; lines: SegmentLines } | { ok: false; index: number; error: string }) => {
          if (!message.ok) return reject(new Error(`Export of segment ${message.index} failed: ${message.error}`));
          done.set(message.lines.index, message.lines);
          idle.push(worker);
          writeReady();
          dispatch();
        });
      }
      for (const worker of this.workers) worker.on('error', reject);
      if (segments.length === 0) resolve();
      dispatch();
    });
    return { file: await options.writer.close(), records, warnings };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.postMessage('close');
        // A worker stuck on a failed query is not waited for.
        const timer = setTimeout(() => void worker.terminate(), 5_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

/** Segments of `size` leaves, each with the log positions around it as the tree recorded them. */
async function segmentsOf(db: Queryable, range: ParallelJsonlOptions['range'], size: number): Promise<SegmentRequest[]> {
  const bounds: { first: number; end: number }[] = [];
  for (let first = range.first; first < range.end; first += size) bounds.push({ first, end: Math.min(first + size, range.end) });
  const wanted = [...new Set(bounds.flatMap(({ first, end }) => [first - 1, end - 1]).filter((i) => i >= 0))];
  const { rows } = await db.query<{ leaf_index: string; position: string }>(
    'SELECT leaf_index::text AS leaf_index, position FROM audit.leaves WHERE leaf_index = ANY($1::bigint[])',
    [wanted],
  );
  const positions = new Map(rows.map((r) => [Number(r.leaf_index), r.position.split('/') as [string, string]]));
  const at = (leaf: number): [string, string] => {
    const position = positions.get(leaf);
    if (!position) throw new Error(`The transparency log has no leaf ${leaf}`);
    return position;
  };
  const start = range.startAfter && ([range.startAfter.commit.toString(), range.startAfter.prepare.toString()] as [string, string]);
  return bounds.map(({ first, end }, index) => ({ index, first, end, startAfter: first === range.first ? start : at(first - 1), last: at(end - 1) }));
}
