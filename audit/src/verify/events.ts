import { createReadStream } from 'node:fs';
import { BUNDLE_FILES, JSONL_LAYOUT, type Manifest } from '../bundle/format.js';
import { canonicalJson } from '@palabre/event-store';
import type { EventEnvelope } from '../log/envelope.js';
import { leafHashOfText } from '../merkle/hashing.js';
import { InclusionVerifier } from '../merkle/verify.js';
import { scopeIsWholeRange, scopeMatcher } from '../export/scope.js';

export interface EventFailure {
  readonly line: number;
  readonly leafIndex?: number;
  readonly message: string;
}

/** What one stretch of events.jsonl showed, enough to join it with the stretches around it. */
export interface RangeResult {
  readonly lines: number;
  readonly failed: number;
  /** The first failures, line numbers within the range (1-based). */
  readonly failures: EventFailure[];
  readonly firstLeaf: number | null;
  readonly lastLeaf: number | null;
  /** Per stream: first revision seen (with its line and leaf) and last revision seen. */
  readonly streams: [stream: string, first: number, line: number, leaf: number, last: number][];
}

const MAX_FAILURES = 50;

interface JsonlRecord {
  readonly leafIndex: number;
  readonly event: EventEnvelope;
  readonly inclusionProof: string[];
  readonly treeSize: number;
}

const LINE_HEAD = JSONL_LAYOUT.head;
const EVENT_KEY = JSONL_LAYOUT.event;
const PROOF_KEY = `${JSONL_LAYOUT.proof}[`;
const SIZE_KEY = `]${JSONL_LAYOUT.size}`;
/** `"` + 44 base64 characters + `"`, then `,` between two hashes. */
const HASH_TEXT = 46;

/**
 * The parts of a line written in exactly the exporter's layout
 * (`{"leafIndex":N,"event":E,"inclusionProof":["…",…],"treeSize":M}`), found by position instead of
 * by parsing the whole line: the proof is most of a line's bytes and needs no JSON parser. Null for
 * any other layout, which is then parsed as plain JSON. When E parses on its own, the line is valid
 * JSON holding exactly these four values, so both ways read the same record.
 */
function exporterLayout(text: string): (Omit<JsonlRecord, 'event'> & { readonly eventText: string }) | null {
  if (!text.startsWith(LINE_HEAD) || !text.endsWith(JSONL_LAYOUT.end)) return null;
  const eventKey = text.indexOf(EVENT_KEY, LINE_HEAD.length);
  const proofKey = text.lastIndexOf(PROOF_KEY);
  const sizeKey = text.lastIndexOf(SIZE_KEY);
  if (eventKey < 0 || proofKey < eventKey + EVENT_KEY.length || sizeKey < proofKey) return null;
  const leafIndex = plainInteger(text.slice(LINE_HEAD.length, eventKey));
  const treeSize = plainInteger(text.slice(sizeKey + SIZE_KEY.length, text.length - JSONL_LAYOUT.end.length));
  if (leafIndex === null || treeSize === null) return null;
  const first = proofKey + PROOF_KEY.length;
  if (sizeKey !== first && (sizeKey - first + 1) % (HASH_TEXT + 1) !== 0) return null;
  const inclusionProof: string[] = [];
  for (let at = first; at < sizeKey; at += HASH_TEXT + 1) {
    const closes = at + HASH_TEXT - 1;
    if (text.charCodeAt(at) !== 0x22 || text.charCodeAt(closes) !== 0x22 || (closes + 1 < sizeKey && text.charCodeAt(closes + 1) !== 0x2c)) return null;
    // Only the quotes are checked here: each hash is checked as base64 when the walk uses it.
    inclusionProof.push(text.slice(at + 1, closes));
  }
  return { leafIndex, eventText: text.slice(eventKey + EVENT_KEY.length, proofKey), inclusionProof, treeSize };
}

/** A JSON non-negative integer in its only form (no sign, no leading zero, no exponent), or null. */
function plainInteger(text: string): number | null {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Checks lines of events.jsonl: leaf recomputed from the canonical envelope, inclusion proof
 * against the signed root, leaf order, scope, and revisions following each other within a stream.
 */
export class EventChecker {
  private readonly verifier: InclusionVerifier | null;
  private readonly matches: (e: EventEnvelope) => boolean;
  private readonly whole: boolean;
  private readonly streams = new Map<string, [first: number, line: number, leaf: number, last: number]>();
  private readonly failures: EventFailure[] = [];
  private line = 0;
  private failed = 0;
  private previous: number | null = null;
  private firstLeaf: number | null = null;

  constructor(
    private readonly manifest: Manifest,
    root: Buffer | null,
    /** Whether this range starts the file (so its first leaf must be the range's first). */
    private readonly startsFile: boolean,
  ) {
    this.verifier = root ? new InclusionVerifier(manifest.treeHead.treeSize, root) : null;
    this.matches = scopeMatcher(manifest.scope);
    this.whole = scopeIsWholeRange(manifest.scope);
  }

  check(text: string): void {
    this.line++;
    let record: JsonlRecord;
    const laid = exporterLayout(text);
    try {
      record = laid ? { ...laid, event: JSON.parse(laid.eventText) } : JSON.parse(text);
    } catch {
      return this.bad('Not a JSON line.');
    }
    const { leafIndex, event, inclusionProof, treeSize } = record ?? {};
    if (!Number.isSafeInteger(leafIndex) || typeof event !== 'object' || event === null || !Array.isArray(inclusionProof)) return this.bad('Not an events.jsonl record.');
    const about = `event ${String(event.id)} (${String(event.stream)} revision ${String(event.revision)})`;
    const signedSize = this.manifest.treeHead.treeSize;
    if (treeSize !== signedSize) return this.bad(`Proves against a tree of ${treeSize} leaves, not the signed head's ${signedSize}.`, leafIndex);
    const previous = this.previous;
    if (previous !== null && leafIndex <= previous) return this.bad(`Leaf ${leafIndex} follows leaf ${previous}: events were reordered.`, leafIndex);
    this.firstLeaf ??= leafIndex;
    this.previous = leafIndex;
    if (this.whole) {
      const expected = previous !== null ? previous + 1 : this.startsFile ? this.manifest.leafRange.first : leafIndex;
      if (leafIndex !== expected) this.bad(`Leaves ${expected} to ${leafIndex - 1} are missing from an export that must hold every leaf: events were removed.`, leafIndex);
    }
    this.followStream(event, leafIndex, about);
    const unproven = this.verifier ? this.unproven(record, laid?.eventText ?? null) : 'the signed tree head has no usable root.';
    if (unproven !== null) return this.bad(`${about}: ${unproven}`, leafIndex);
    const range = this.manifest.leafRange;
    if (leafIndex < range.first || leafIndex >= range.end || !this.matches(event)) this.bad(`${about} is outside the export's scope.`, leafIndex);
  }

  /**
   * The leaf is the hash of the envelope's canonical JSON. A line in the exporter's layout carries
   * the envelope in exactly that form: hashing its text as it stands saves re-serialising it.
   * Anything else (a line re-formatted by another tool) is canonicalised first.
   */
  private unproven(record: JsonlRecord, eventText: string | null): string | null {
    const verifier = this.verifier!;
    if (eventText !== null && verifier.verify(record.leafIndex, leafHashOfText(eventText), record.inclusionProof)) return null;
    let canonical: string;
    try {
      canonical = canonicalJson(record.event);
    } catch (error) {
      return `it cannot be canonicalised (${(error as Error).message}).`;
    }
    if (canonical !== eventText && verifier.verify(record.leafIndex, leafHashOfText(canonical), record.inclusionProof)) return null;
    return `its recomputed leaf is not at index ${record.leafIndex} of the signed tree — altered, removed, inserted or moved since it was recorded.`;
  }

  result(): RangeResult {
    return {
      lines: this.line,
      failed: this.failed,
      failures: this.failures,
      firstLeaf: this.firstLeaf,
      lastLeaf: this.previous,
      streams: [...this.streams].map(([stream, [first, line, leaf, last]]) => [stream, first, line, leaf, last]),
    };
  }

  private followStream(event: EventEnvelope, leafIndex: number, about: string): void {
    const seen = this.streams.get(event.stream);
    if (seen === undefined) {
      this.streams.set(event.stream, [event.revision, this.line, leafIndex, event.revision]);
      return;
    }
    if (event.revision !== seen[3] + 1) this.bad(`${about} follows revision ${seen[3]} of its stream: ${event.revision > seen[3] + 1 ? 'events of the stream are missing' : 'the stream is out of order'}.`, leafIndex);
    seen[3] = event.revision;
  }

  private bad(message: string, leafIndex?: number): void {
    this.failed++;
    if (this.failures.length < MAX_FAILURES) this.failures.push({ line: this.line, ...(leafIndex === undefined ? {} : { leafIndex }), message });
  }
}

/** Feeds the lines of `path` between byte offsets [start, end) to `onLine`, splitting on bytes (no string concatenation). */
export async function forEachLine(path: string, start: number, end: number, onLine: (text: string) => void, onChunk?: (chunk: Buffer) => void): Promise<void> {
  await forEachLineBytes(path, start, end, (line) => onLine(line.toString('utf8')), onChunk);
}

/**
 * Each non-empty line between two byte offsets as bytes: a view into the read buffer, valid during
 * the call only. Readers that decode part of a line (the recount) skip decoding the rest.
 */
export async function forEachLineBytes(path: string, start: number, end: number, onLine: (line: Buffer) => void, onChunk?: (chunk: Buffer) => void): Promise<void> {
  if (end <= start) return;
  let rest: Buffer | null = null;
  for await (const raw of createReadStream(path, { start, end: end - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    onChunk?.(raw);
    const chunk: Buffer = rest ? Buffer.concat([rest, raw]) : raw;
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
      if (nl > from) onLine(chunk.subarray(from, nl));
      from = nl + 1;
    }
    rest = from < chunk.length ? chunk.subarray(from) : null;
  }
  if (rest && rest.toString('utf8').trim().length > 0) onLine(rest);
}

export const jsonlPosition = (line: number, leafIndex?: number) => `${BUNDLE_FILES.jsonl} line ${line}${leafIndex === undefined ? '' : ` (leaf ${leafIndex})`}`;
