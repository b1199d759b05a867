import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { BUNDLE_FILES, BUNDLE_FORMAT, type Manifest, type TreeHeadsFile } from '../bundle/format.js';
import { canonicalJson } from '../canonical-json.js';
import type { EventEnvelope } from '../log/envelope.js';
import { type SignedTreeHead, verifyTreeHead } from '../log/tree-head.js';
import { leafHash } from '../merkle/hashing.js';
import { decodeHash, InclusionVerifier, verifyConsistency } from '../merkle/verify.js';
import { keyIdOf, publicKeyFromPem } from '../signing/keys.js';
import { scopeIsWholeRange, scopeMatcher } from '../export/scope.js';

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
  let jsonlDigest: string | null = null;
  if (manifest.files[BUNDLE_FILES.jsonl]) {
    const result = await checkEvents(dir, manifest, root, fail, options.onProgress);
    events = result.events;
    failedEvents = result.failed;
    jsonlDigest = result.digest;
  }
  for (const [name, expected] of Object.entries(manifest.files)) {
    files.push(name);
    const path = join(dir, name);
    if (!/^[a-z-]+\.[a-z]+$/.test(name) || !existsSync(path)) {
      fail({ check: 'file', position: name, message: 'Listed in the manifest but missing from the bundle.' });
      continue;
    }
    const digest = name === BUNDLE_FILES.jsonl && jsonlDigest !== null ? jsonlDigest : await sha256File(path);
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

/** Every line: leaf recomputed from the envelope, proof checked against the head, order, scope, stream continuity. */
async function checkEvents(
  dir: string,
  manifest: Manifest,
  root: Buffer | null,
  fail: (f: VerifyFailure) => void,
  onProgress?: (read: number, total: number) => void,
): Promise<{ events: number; failed: number; digest: string | null }> {
  const path = join(dir, BUNDLE_FILES.jsonl);
  const treeSize = manifest.treeHead.treeSize;
  const verifier = root ? new InclusionVerifier(treeSize, root) : null;
  const matches = scopeMatcher(manifest.scope);
  const whole = scopeIsWholeRange(manifest.scope);
  const streams = new Map<string, number>();
  const digest = createHash('sha256');
  const totalBytes = existsSync(path) ? statSync(path).size : 0;
  let line = 0;
  let previous = -1;
  let failed = 0;
  let readBytes = 0;

  const check = (text: string): void => {
    line++;
    const bad = (message: string, leafIndex?: number) => {
      failed++;
      fail({ check: 'event', position: `${BUNDLE_FILES.jsonl} line ${line}${leafIndex === undefined ? '' : ` (leaf ${leafIndex})`}`, line, ...(leafIndex === undefined ? {} : { leafIndex }), message });
    };
    let record: { leafIndex: number; event: EventEnvelope; inclusionProof: string[]; treeSize: number };
    try {
      record = JSON.parse(text);
    } catch {
      return bad('Not a JSON line.');
    }
    const { leafIndex, event, inclusionProof, treeSize: size } = record ?? {};
    if (!Number.isSafeInteger(leafIndex) || typeof event !== 'object' || event === null || !Array.isArray(inclusionProof)) return bad('Not an events.jsonl record.');
    const about = `event ${String(event.id)} (${String(event.stream)} revision ${String(event.revision)})`;
    if (size !== treeSize) return bad(`Proves against a tree of ${size} leaves, not the signed head's ${treeSize}.`, leafIndex);
    if (leafIndex <= previous) return bad(`Leaf ${leafIndex} follows leaf ${previous}: events were reordered.`, leafIndex);
    if (whole && leafIndex !== previous + 1 && !(previous === -1 && leafIndex === manifest.leafRange.first)) {
      bad(`Leaves ${previous + 1} to ${leafIndex - 1} are missing from an export that must hold every leaf: events were removed.`, leafIndex);
    }
    previous = leafIndex;
    const last = streams.get(event.stream);
    streams.set(event.stream, event.revision);
    if (last !== undefined && event.revision !== last + 1) {
      bad(`${about} follows revision ${last} of its stream: ${event.revision > last + 1 ? 'events of the stream are missing' : 'the stream is out of order'}.`, leafIndex);
    }
    let leaf: Buffer;
    try {
      leaf = leafHash(Buffer.from(canonicalJson(event), 'utf8'));
    } catch (error) {
      return bad(`${about} cannot be canonicalised: ${(error as Error).message}`, leafIndex);
    }
    if (!verifier || !verifier.verify(leafIndex, leaf, inclusionProof)) {
      return bad(`${about}: its recomputed leaf is not at index ${leafIndex} of the signed tree — altered, removed, inserted or moved since it was recorded.`, leafIndex);
    }
    if (leafIndex < manifest.leafRange.first || leafIndex >= manifest.leafRange.end || !matches(event)) bad(`${about} is outside the export's scope.`, leafIndex);
  };

  if (!existsSync(path)) return { events: 0, failed: 0, digest: null };
  // A chunk may end inside a multi-byte character: the decoder keeps it for the next one.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    digest.update(chunk);
    readBytes += chunk.length;
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
      if (end > start) check(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
    onProgress?.(readBytes, totalBytes);
  }
  rest += decoder.end();
  if (rest.trim().length > 0) check(rest);
  const expected = manifest.files[BUNDLE_FILES.jsonl]?.records;
  if (expected !== undefined && expected !== line) fail({ check: 'file', position: BUNDLE_FILES.jsonl, message: `Holds ${line} events, the manifest says ${expected}.` });
  if (whole && line > 0 && previous !== manifest.leafRange.end - 1) {
    fail({ check: 'event', position: `${BUNDLE_FILES.jsonl} end`, line: line + 1, leafIndex: previous + 1, message: `Leaves ${previous + 1} to ${manifest.leafRange.end - 1} are missing at the end: events were removed.` });
  }
  return { events: line, failed, digest: digest.digest('hex') };
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
