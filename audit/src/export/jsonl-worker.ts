/**
 * A worker thread of a parallel JSONL export: reads the segments it is sent from the log with its
 * own connection, and answers with their lines. The tree's levels are shared, not copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { createPostgresEventStore } from '@palabre/event-store';
import type { ExportScope } from '../bundle/format.js';
import { ProofTexts } from '../merkle/proof-text.js';
import { hashLevels, MemoryTree } from '../merkle/tree.js';
import { type LeafSegment, segmentLines } from './jsonl-lines.js';

export interface JsonlWorkerData {
  readonly connectionString: string;
  readonly schema: string;
  readonly scope: ExportScope;
  readonly pageSize: number;
}

/** Sent once the main thread has the tree: the worker starts (and connects) while it loads. */
export interface TreeMessage {
  readonly tree: { readonly levels: readonly SharedArrayBuffer[]; readonly size: number };
}

/** Hash levels `lowest`…`highest` of the tree over leaves [from, to) (see `hashLevels`), then answer `{ built }`. */
export interface BuildMessage {
  readonly build: { readonly levels: readonly SharedArrayBuffer[]; readonly from: number; readonly to: number; readonly lowest: number; readonly highest: number };
}

/** Positions travel as strings: bigints do not cross to a worker in every Node version. */
export interface SegmentRequest extends Omit<LeafSegment, 'startAfter' | 'last'> {
  readonly startAfter: readonly [string, string] | null;
  readonly last: readonly [string, string];
}

const data = workerData as JsonlWorkerData;
const pool = new pg.Pool({ connectionString: data.connectionString, max: 1 });
pool.on('error', () => {});
const store = createPostgresEventStore({ pool, schema: data.schema });
store.catch(() => {}); // a failure to connect is reported by the first segment that needs the store
let proofs: ProofTexts | null = null;
const position = ([commit, prepare]: readonly [string, string]) => ({ commit: BigInt(commit), prepare: BigInt(prepare) });

parentPort!.on('message', (message: SegmentRequest | TreeMessage | BuildMessage | 'close') => {
  if (typeof message === 'object' && 'build' in message) {
    const { levels, from, to, lowest, highest } = message.build;
    hashLevels(levels.map((level) => Buffer.from(level)), from, to, lowest, highest);
    parentPort!.postMessage({ built: true });
    return;
  }
  if (typeof message === 'object' && 'tree' in message) {
    proofs = new ProofTexts(MemoryTree.fromLevels(message.tree.levels.map((level) => Buffer.from(level))), message.tree.size);
    return;
  }
  if (message === 'close') {
    void store
      .then((s) => s.close())
      .finally(() => pool.end())
      .finally(() => parentPort!.close());
    return;
  }
  void (async () => {
    try {
      if (proofs === null) throw new Error('a segment arrived before the tree');
      const segment: LeafSegment = { ...message, startAfter: message.startAfter && position(message.startAfter), last: position(message.last) };
      const lines = await segmentLines(await store, segment, data.scope, proofs, data.pageSize);
      parentPort!.postMessage({ ok: true, lines }, [lines.bytes.buffer as ArrayBuffer]);
    } catch (error) {
      parentPort!.postMessage({ ok: false, index: message.index, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
