import { createHash, type KeyObject } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BUNDLE_FILES, BUNDLE_FORMAT, type Manifest, type TreeHeadsFile } from '../bundle/format.js';
import { scopeIsWholeRange } from '../export/scope.js';
import { type SignedTreeHead, verifyTreeHead } from '../log/tree-head.js';
import { decodeHash, verifyConsistency } from '../merkle/verify.js';
import { keyIdOf, publicKeyFromPem } from '../signing/keys.js';
import { EventChecker, forEachLine, jsonlPosition, type RangeResult } from './events.js';

/** One thing that does not hold, and where. */
export interface VerifyFailure {
  readonly check: 'bundle' | 'public-key' | 'tree-head' | 'consistency' | 'event' | 'file';
  /** Human words for the place: `events.jsonl line 17 (leaf 1234)`, `tree head 3 (size 2000)`. */
  readonly position: string;
  readonly leafIndex?: number;
  readonly line?: number;
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly manifest: Manifest | null;
  readonly keyId: string | null;
  readonly pinnedKey: boolean;
  readonly treeHeads: number;
  readonly events: number;
  readonly files: readonly string[];
  /** The earliest failure: in events.jsonl order for events, else in the order checked. */
  readonly firstFailure: VerifyFailure | null;
  readonly failures: readonly VerifyFailure[];
  /** Events that failed (all of them are counted, the first 50 described). */
  readonly failedEvents: number;
}

export interface VerifyOptions {
  /** SPKI PEM of the key the auditor trusts (obtained out of band); the bundle's own key otherwise. */
  readonly publicKeyPem?: string;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Threads checking events.jsonl; by default one per core (up to 4) for files over 32 MB. */
  readonly workers?: number;
}

const MAX_DESCRIBED = 50;

/** Checks a bundle offline: signatures, consistency between heads, every leaf and inclusion proof, file digests. */
export async function verifyBundle(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const failures: VerifyFailure[] = [];
  const fail = (f: VerifyFailure) => void (failures.length < MAX_DESCRIBED ? failures.push(f) : undefined);
  const report = (rest: Partial<VerifyReport>): VerifyReport => {
    const eventFailures = failures.filter((f) => f.check === 'event' && f.line !== undefined).sort((a, b) => a.line! - b.line!);
    const firstFailure = failures.find((f) => f.check !== 'event' && f.check !== 'file') ?? eventFailures[0] ?? failures[0] ?? null;
    return { ok: failures.length === 0, manifest: null, keyId: null, pinnedKey: options.publicKeyPem !== undefined, treeHeads: 0, events: 0, files: [], firstFailure, failures, failedEvents: 0, ...rest };
  };

  const manifest = readJson<Manifest>(join(dir, BUNDLE_FILES.manifest));
  if (manifest === null || manifest.format !== BUNDLE_FORMAT || !manifest.treeHead || !manifest.files) {
    fail({ check: 'bundle', position: BUNDLE_FILES.manifest, message: `Not a ${BUNDLE_FORMAT} manifest (missing or unreadable).` });
    return report({});
  }

  // The key: the bundle's own, unless the auditor pinned one; a pinned key must be the one used.
  let key: KeyObject;
  try {
    const bundleKeyPem = readFileSync(join(dir, BUNDLE_FILES.publicKey), 'utf8');
    key = publicKeyFromPem(options.publicKeyPem ?? bundleKeyPem);
    if (options.publicKeyPem !== undefined && keyIdOf(publicKeyFromPem(bundleKeyPem)) !== keyIdOf(key)) {
      fail({ check: 'public-key', position: BUNDLE_FILES.publicKey, message: `The bundle's key ${keyIdOf(publicKeyFromPem(bundleKeyPem))} is not the key you trust (${keyIdOf(key)}).` });
    }
  } catch (error) {
    fail({ check: 'public-key', position: BUNDLE_FILES.publicKey, message: `No usable Ed25519 public key: ${(error as Error).message}` });
    return report({ manifest });
  }
  const keyId = keyIdOf(key);

  const heads = checkTreeHeads(dir, manifest, key, fail);
  const root = decodeHash(manifest.treeHead.rootHash);
  const files: string[] = [];
  let events = 0;
  let failedEvents = 0;
  if (manifest.files[BUNDLE_FILES.jsonl]) {
    const result = await checkEvents(dir, manifest, root, fail, options);
    events = result.events;
    failedEvents = result.failed;
  }
  for (const [name, expected] of Object.entries(manifest.files)) {
    files.push(name);
    const path = join(dir, name);
    if (!/^[a-z-]+\.[a-z]+$/.test(name) || !existsSync(path)) {
      fail({ check: 'file', position: name, message: 'Listed in the manifest but missing from the bundle.' });
      continue;
    }
    // events.jsonl is checked line by line above (every byte of an exporter's line is covered): no second pass.
    if (name === BUNDLE_FILES.jsonl) continue;
    const digest = await sha256File(path);
    if (digest !== expected.sha256) fail({ check: 'file', position: name, message: `Its SHA-256 is ${digest}, the manifest says ${expected.sha256}: the file was changed after export.` });
  }
  return report({ manifest, keyId, treeHeads: heads, events, files, failedEvents });
}

/** Signatures of every head, strictly growing sizes, a valid consistency proof between each pair, and the manifest's head among them. */
function checkTreeHeads(dir: string, manifest: Manifest, key: KeyObject, fail: (f: VerifyFailure) => void): number {
  const file = readJson<TreeHeadsFile>(join(dir, BUNDLE_FILES.treeHeads));
  if (file === null || !Array.isArray(file.treeHeads) || !Array.isArray(file.consistency)) {
    fail({ check: 'tree-head', position: BUNDLE_FILES.treeHeads, message: 'Missing or unreadable.' });
    return 0;
  }
  const heads: readonly SignedTreeHead[] = file.treeHeads;
  const steps: TreeHeadsFile['consistency'] = file.consistency;
  heads.forEach((head, i) => {
    const where = `${BUNDLE_FILES.treeHeads} head ${i + 1} (size ${head.treeSize})`;
    if (!verifyTreeHead(head, key)) fail({ check: 'tree-head', position: where, message: 'Its signature does not verify with the public key: forged or altered.' });
    if (i > 0 && !(head.treeSize > heads[i - 1]!.treeSize)) fail({ check: 'tree-head', position: where, message: 'Tree heads must grow strictly in size.' });
  });
  for (let i = 1; i < heads.length; i++) {
    const [a, b] = [heads[i - 1]!, heads[i]!];
    const step = steps.find((c) => c.fromSize === a.treeSize && c.toSize === b.treeSize);
    const proof: (Buffer | null)[] | undefined = step?.proof.map((p) => decodeHash(p));
    const ra = decodeHash(a.rootHash);
    const rb = decodeHash(b.rootHash);
    if (!proof || proof.some((p) => p === null) || !ra || !rb || !verifyConsistency(a.treeSize, b.treeSize, ra, rb, proof as Buffer[])) {
      fail({ check: 'consistency', position: `${BUNDLE_FILES.treeHeads} from size ${a.treeSize} to ${b.treeSize}`, message: 'The later tree does not extend the earlier one: history was rewritten between them.' });
    }
  }
  const last = heads.at(-1);
  if (!last || !sameHead(last, manifest.treeHead)) {
    fail({ check: 'tree-head', position: BUNDLE_FILES.manifest, message: "The manifest's tree head is not the last signed head of tree-heads.json." });
  }
  return heads.length;
}

const sameHead = (a: SignedTreeHead, b: SignedTreeHead) =>
  a.treeSize === b.treeSize && a.rootHash === b.rootHash && a.timestamp === b.timestamp && a.signature === b.signature;

/** Below this, one thread is quicker than starting workers. */
export const MIN_BYTES_FOR_WORKERS = 32 << 20;
const workerScript = new URL('./events-worker.js', import.meta.url);

/** Every line of events.jsonl checked (on worker threads for large files), then the stretches joined. */
async function checkEvents(
  dir: string,
  manifest: Manifest,
  root: Buffer | null,
  fail: (f: VerifyFailure) => void,
  options: VerifyOptions,
): Promise<{ events: number; failed: number }> {
  const path = join(dir, BUNDLE_FILES.jsonl);
  if (!existsSync(path)) return { events: 0, failed: 0 };
  const size = statSync(path).size;
  const wanted = options.workers ?? (size >= MIN_BYTES_FOR_WORKERS ? Math.min(availableParallelism(), 4) : 1);
  const threads = wanted > 1 && existsSync(workerScript) ? wanted : 1;
  let read = 0;
  const progress = (bytes: number) => {
    read += bytes;
    options.onProgress?.(read, size);
  };

  let results: RangeResult[];
  if (threads === 1) {
    const checker = new EventChecker(manifest, root, true);
    await forEachLine(path, 0, size, (text) => checker.check(text), (chunk) => progress(chunk.length));
    results = [checker.result()];
  } else {
    const bounds = lineBoundaries(path, size, threads);
    results = await Promise.all(bounds.slice(1).map((end, k) => runWorker({ path, start: bounds[k]!, end, manifest, root, startsFile: k === 0 }, progress)));
  }
  return joinRanges(results, manifest, fail);
}

function runWorker(task: { path: string; start: number; end: number; manifest: Manifest; root: Buffer | null; startsFile: boolean }, progress: (bytes: number) => void): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript, { workerData: { ...task, root: task.root ? new Uint8Array(task.root) : null } });
    worker.on('message', (message: { progress?: number; result?: RangeResult }) => {
      if (message.progress !== undefined) progress(message.progress);
      if (message.result) resolve(message.result);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`A verification worker stopped with code ${code}`))));
  });
}

/** Byte offsets splitting the file into `parts` stretches of whole lines: [0, …, size]. */
export function lineBoundaries(path: string, size: number, parts: number): number[] {
  const bounds = [0];
  const fd = openSync(path, 'r');
  try {
    const probe = Buffer.alloc(64 << 10);
    for (let k = 1; k < parts; k++) {
      let at = Math.max(Math.floor((size * k) / parts), bounds.at(-1)!);
      for (;;) {
        const n = readSync(fd, probe, 0, probe.length, at);
        if (n === 0) {
          at = size;
          break;
        }
        const nl = probe.subarray(0, n).indexOf(10);
        if (nl >= 0) {
          at += nl + 1;
          break;
        }
        at += n;
      }
      bounds.push(Math.min(at, size));
    }
  } finally {
    closeSync(fd);
  }
  bounds.push(size);
  return bounds;
}

/** Joins the stretches: global line numbers, leaf order and stream revisions across their edges. */
function joinRanges(results: readonly RangeResult[], manifest: Manifest, fail: (f: VerifyFailure) => void): { events: number; failed: number } {
  const whole = scopeIsWholeRange(manifest.scope);
  const streams = new Map<string, number>();
  let offset = 0;
  let failed = 0;
  let lastLeaf: number | null = null;
  const bad = (line: number, message: string, leafIndex?: number) => {
    failed++;
    fail({ check: 'event', position: jsonlPosition(line, leafIndex), line, ...(leafIndex === undefined ? {} : { leafIndex }), message });
  };
  results.forEach((r, k) => {
    failed += r.failed;
    for (const f of r.failures) fail({ check: 'event', position: jsonlPosition(f.line + offset, f.leafIndex), line: f.line + offset, ...(f.leafIndex === undefined ? {} : { leafIndex: f.leafIndex }), message: f.message });
    if (k > 0 && r.firstLeaf !== null && lastLeaf !== null) {
      if (r.firstLeaf <= lastLeaf) bad(offset + 1, `Leaf ${r.firstLeaf} follows leaf ${lastLeaf}: events were reordered.`, r.firstLeaf);
      else if (whole && r.firstLeaf !== lastLeaf + 1) bad(offset + 1, `Leaves ${lastLeaf + 1} to ${r.firstLeaf - 1} are missing from an export that must hold every leaf: events were removed.`, r.firstLeaf);
    }
    for (const [stream, first, line, leaf, last] of r.streams) {
      const seen = streams.get(stream);
      if (k > 0 && seen !== undefined && first !== seen + 1) bad(line + offset, `event of ${stream} revision ${first} follows revision ${seen} of its stream: events of the stream are missing or out of order.`, leaf);
      streams.set(stream, last);
    }
    offset += r.lines;
    lastLeaf = r.lastLeaf ?? lastLeaf;
  });
  const expected = manifest.files[BUNDLE_FILES.jsonl]?.records;
  if (expected !== undefined && expected !== offset) fail({ check: 'file', position: BUNDLE_FILES.jsonl, message: `Holds ${offset} events, the manifest says ${expected}.` });
  if (whole && offset > 0 && lastLeaf !== manifest.leafRange.end - 1) {
    bad(offset + 1, `Leaves ${(lastLeaf ?? -1) + 1} to ${manifest.leafRange.end - 1} are missing at the end: events were removed.`, (lastLeaf ?? -1) + 1);
  }
  return { events: offset, failed };
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}
