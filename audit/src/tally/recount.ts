import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import {
  type BallotCast,
  type Consultation,
  type ConsultationResults,
  evolveConsultation,
  initialConsultation,
  parseBallotEvent,
  parseConsultationEvent,
  type SignedResult,
  tally,
} from '@palabre/domain';
import { canonicalJson } from '@palabre/event-store';
import { ballotReceipt } from '@palabre/projections';
import { BUNDLE_FILES, JSONL_LAYOUT, type TreeHeadsFile } from '../bundle/format.js';
import type { EventEnvelope } from '../log/envelope.js';
import { publicKeyFromPem } from '../signing/keys.js';
import { forEachLineBytes } from '../verify/events.js';
import { lineBoundaries, MIN_BYTES_FOR_WORKERS, verifyBundle, type VerifyOptions, type VerifyReport } from '../verify/verify-bundle.js';
import { verifyResultSignature } from './result-statement.js';

/** A ballot as the bundle holds it: where it sits in the log, and its event (whose id gives its receipt). */
export interface BundleBallot {
  readonly leafIndex: number;
  readonly eventId: string;
  readonly ballot: BallotCast;
}

/** One consultation read out of a bundle: its lifecycle folded by the domain, its ballots in log order. */
export interface BundleConsultation {
  readonly consultation: Consultation;
  /** Leaf of the ConsultationClosed event; ballots from it on are not counted. */
  readonly closeLeaf: number | null;
  readonly ballots: readonly BundleBallot[];
  readonly signed: SignedResult | null;
}

export interface RecountReport {
  readonly consultationId: string;
  readonly verification: VerifyReport;
  /** The consultation's own stream is in the bundle. */
  readonly found: boolean;
  readonly title: { fr: string; en: string } | null;
  readonly status: Consultation['status'] | null;
  readonly counted: number;
  readonly afterClose: number;
  readonly recount: ConsultationResults | null;
  readonly signed: SignedResult | null;
  /** Signed by the bundle's (or the pinned) key; null when nothing is published. */
  readonly signatureValid: boolean | null;
  /** The signed root is the bundle's tree head of that size. */
  readonly rootInBundle: boolean | null;
  /** The recount equals the signed result. */
  readonly match: boolean | null;
  readonly differences: readonly string[];
  readonly ok: boolean;
}

/**
 * Recounts a consultation from an audit bundle, offline: the bundle is verified first (nothing is
 * recounted from a tampered one), the ballots before the close are tallied by the same domain
 * rules the API applies, and the result is compared with the one the commune published and signed.
 */
export async function recountConsultation(dir: string, consultationId: string, options: VerifyOptions = {}): Promise<RecountReport> {
  const verification = await verifyBundle(dir, options);
  const base = { consultationId, verification, found: false, title: null, status: null, counted: 0, afterClose: 0, recount: null, signed: null, signatureValid: null, rootInBundle: null, match: null, differences: [] };
  if (!verification.ok) return { ...base, ok: false };
  const read = await readConsultation(dir, consultationId, options.workers === undefined ? {} : { workers: options.workers });
  if (read.consultation.status === 'none' || !read.consultation.content) return { ...base, ok: false, differences: [`The bundle holds no consultation ${consultationId}.`] };

  const counted = read.ballots.filter((b) => read.closeLeaf === null || b.leafIndex < read.closeLeaf);
  const recount = tally(read.consultation.content.questions, counted.map((b) => b.ballot));
  const found = { ...base, found: true, title: read.consultation.content.title, status: read.consultation.status, counted: counted.length, afterClose: read.ballots.length - counted.length, recount };
  if (!read.signed) return { ...found, ok: true };

  const publicKey = publicKeyFromPem(options.publicKeyPem ?? readFileSync(join(dir, BUNDLE_FILES.publicKey), 'utf8'));
  const signatureValid = verifyResultSignature(publicKey, consultationId, read.signed);
  const heads = (JSON.parse(readFileSync(join(dir, BUNDLE_FILES.treeHeads), 'utf8')) as TreeHeadsFile).treeHeads;
  const rootInBundle = heads.some((h) => h.treeSize === read.signed!.treeSize && h.rootHash === read.signed!.rootHash);
  const differences = compareResults(read.signed.results as unknown as ConsultationResults, recount);
  if (read.closeLeaf !== null && read.signed.treeSize <= read.closeLeaf) differences.unshift(`The result was signed at tree size ${read.signed.treeSize}, before the close (leaf ${read.closeLeaf}).`);
  const match = differences.length === 0;
  return { ...found, signed: read.signed, signatureValid, rootInBundle, match, differences, ok: signatureValid && rootInBundle && match };
}

/** What one stretch of events.jsonl holds of a consultation: its own events and its ballots, in line order. */
export interface ConsultationStretch {
  readonly lifecycle: { leafIndex: number; type: string; data: unknown; schemaVersion: number }[];
  readonly ballots: BundleBallot[];
}

/**
 * A consultation's lines between two byte offsets: the lines are searched as bytes, and of a line
 * that belongs to it only the event is decoded and parsed, not its inclusion proof.
 */
export async function readConsultationStretch(path: string, start: number, end: number, consultationId: string): Promise<ConsultationStretch> {
  const own = Buffer.from(`"stream":"consultation-${consultationId}"`);
  const boxes = Buffer.from(`"stream":"ballots-${consultationId}-`);
  const lifecycle: ConsultationStretch['lifecycle'] = [];
  const ballots: BundleBallot[] = [];
  await forEachLineBytes(path, start, end, (line) => {
    const ballot = line.includes(boxes);
    if (!ballot && !line.includes(own)) return;
    const { leafIndex, event } = eventOfLine(line);
    if (ballot) {
      const parsed = parseBallotEvent({ type: event.type, data: event.data, schemaVersion: schemaVersionOf(event) });
      ballots.push({ leafIndex, eventId: event.id, ballot: parsed.data });
    } else lifecycle.push({ leafIndex, type: event.type, data: event.data, schemaVersion: schemaVersionOf(event) });
  });
  return { lifecycle, ballots };
}

const stretchWorker = new URL('./recount-worker.js', import.meta.url);

/**
 * Reads one consultation's events and ballots from events.jsonl. A large file is read in stretches
 * on worker threads (as the verifier does), then the consultation's own events are folded in log order.
 */
export async function readConsultation(dir: string, consultationId: string, options: { workers?: number } = {}): Promise<BundleConsultation> {
  const path = join(dir, BUNDLE_FILES.jsonl);
  const size = statSync(path).size;
  const wanted = options.workers ?? (size >= MIN_BYTES_FOR_WORKERS ? Math.min(availableParallelism(), 4) : 1);
  const threads = wanted > 1 && existsSync(stretchWorker) ? wanted : 1;
  const stretches =
    threads === 1
      ? [await readConsultationStretch(path, 0, size, consultationId)]
      : await (async () => {
          const bounds = lineBoundaries(path, size, threads);
          return Promise.all(bounds.slice(1).map((end, k) => runStretchWorker({ path, start: bounds[k]!, end, consultationId })));
        })();
  let consultation = initialConsultation();
  let closeLeaf: number | null = null;
  let signed: SignedResult | null = null;
  for (const event of stretches.flatMap((s) => s.lifecycle).sort((a, b) => a.leafIndex - b.leafIndex)) {
    const parsed = parseConsultationEvent({ type: event.type, data: event.data, schemaVersion: event.schemaVersion });
    consultation = evolveConsultation(consultation, parsed);
    if (parsed.type === 'ConsultationClosed') closeLeaf = event.leafIndex;
    if (parsed.type === 'ConsultationResultsPublished') signed = parsed.data.signedResult;
  }
  // The stretches follow one another in the file, each in line order: joined, they are in line order.
  const ballots = stretches.length === 1 ? stretches[0]!.ballots : stretches.flatMap((s) => s.ballots);
  ballots.sort((a, b) => a.leafIndex - b.leafIndex);
  return { consultation, closeLeaf, ballots, signed };
}

function runStretchWorker(task: { path: string; start: number; end: number; consultationId: string }): Promise<ConsultationStretch> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(stretchWorker, { workerData: task });
    worker.once('message', (stretch: ConsultationStretch) => resolve(stretch));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`A recount worker stopped with code ${code}`))));
  });
}

export interface FoundReceipt {
  readonly leafIndex: number;
  readonly eventId: string;
  readonly envelope: EventEnvelope;
  readonly ballot: BallotCast;
  readonly inclusionProof: readonly string[];
  readonly treeSize: number;
}

/** Finds a ballot by its receipt anywhere in the bundle (its line, proof included): only its line is parsed whole. */
export async function findReceipt(dir: string, receipt: string): Promise<FoundReceipt | null> {
  let found: FoundReceipt | null = null;
  const boxes = Buffer.from('"stream":"ballots-');
  const path = join(dir, BUNDLE_FILES.jsonl);
  await forEachLineBytes(path, 0, statSync(path).size, (bytes) => {
    if (found || !bytes.includes(boxes) || ballotReceipt(eventOfLine(bytes).event.id) !== receipt) return;
    const record = JSON.parse(bytes.toString('utf8')) as { leafIndex: number; event: EventEnvelope; inclusionProof: string[]; treeSize: number };
    const parsed = parseBallotEvent({ type: record.event.type, data: record.event.data, schemaVersion: schemaVersionOf(record.event) });
    found = { leafIndex: record.leafIndex, eventId: record.event.id, envelope: record.event, ballot: parsed.data, inclusionProof: record.inclusionProof, treeSize: record.treeSize };
  });
  return found;
}

const layout = { head: Buffer.from(JSONL_LAYOUT.head), event: Buffer.from(JSONL_LAYOUT.event), proof: Buffer.from(JSONL_LAYOUT.proof) };

/**
 * The leaf index and event of an events.jsonl line, without decoding its inclusion proof (most of the
 * line): the exporter writes the members in JSONL_LAYOUT order. The bundle was verified whole first.
 */
function eventOfLine(line: Buffer): { leafIndex: number; event: EventEnvelope } {
  const eventAt = line.indexOf(layout.event);
  const proofAt = line.lastIndexOf(layout.proof);
  if (line.indexOf(layout.head) !== 0 || eventAt < 0 || proofAt < eventAt) return JSON.parse(line.toString('utf8')) as { leafIndex: number; event: EventEnvelope };
  return { leafIndex: Number(line.toString('latin1', layout.head.length, eventAt)), event: JSON.parse(line.toString('utf8', eventAt + layout.event.length, proofAt)) as EventEnvelope };
}

const schemaVersionOf = (event: EventEnvelope): number => Number((event.metadata as { schemaVersion?: number } | undefined)?.schemaVersion ?? 1);

/** Where the signed result and the recount disagree, in words; empty when they are the same. */
function compareResults(signed: ConsultationResults, recount: ConsultationResults): string[] {
  if (canonicalJson(signed) === canonicalJson(recount)) return [];
  const differences: string[] = [];
  if (signed.turnout !== recount.turnout) differences.push(`turnout: published ${signed.turnout}, recounted ${recount.turnout}`);
  for (const question of recount.questions) {
    const published = signed.questions?.find((q) => q.questionId === question.questionId);
    if (!published) {
      differences.push(`question ${question.questionId}: missing from the published result`);
      continue;
    }
    const options = 'options' in question ? question.options : [];
    const publishedOptions = 'options' in published ? published.options : [];
    for (const option of options) {
      const votes = publishedOptions.find((o) => o.optionId === option.optionId)?.votes;
      if (votes !== option.votes) differences.push(`question ${question.questionId}, option ${option.optionId}: published ${String(votes)}, recounted ${option.votes}`);
    }
  }
  if (differences.length === 0) differences.push('the published result differs from the recount beyond votes per option (breakdowns, scale or budget figures)');
  return differences;
}

/** The recount in words, for the terminal. */
export function formatRecount(report: RecountReport, language: 'fr' | 'en' = 'en'): string {
  const lines: string[] = [];
  if (!report.verification.ok) {
    const failure = report.verification.firstFailure;
    lines.push(`FAILED — the bundle does not verify, so nothing is recounted from it.`);
    if (failure) lines.push(`  First failure: ${failure.position}: ${failure.message}`);
    return `${lines.join('\n')}\n`;
  }
  if (!report.found || !report.recount) return `FAILED — ${report.differences[0] ?? `no consultation ${report.consultationId} in the bundle`}\n`;
  lines.push(`Consultation ${report.consultationId} — ${report.title![language]} (${report.status})`);
  lines.push(`Bundle verified: ${report.verification.events.toLocaleString('en-US')} events, every one in the signed log.`);
  lines.push(`Ballots before the close: ${report.counted}${report.afterClose > 0 ? ` (${report.afterClose} after it, not counted)` : ''}; residents counted: ${report.recount.turnout} (online ${report.recount.byChannel.online}, paper ${report.recount.byChannel.paper}).`);
  for (const question of report.recount.questions) {
    if ('options' in question) {
      lines.push(`  ${question.questionId}:`);
      for (const option of question.options) lines.push(`    ${option.optionId.padEnd(24)} ${String(option.votes).padStart(8)}`);
      if ('winners' in question) lines.push(`    winners within the budget: ${(question as { winners: string[] }).winners.join(', ') || 'none'}`);
    } else if ('average' in question) {
      lines.push(`  ${question.questionId}: average ${String((question as { average: number | null }).average)} from ${question.answered} answers`);
    } else {
      lines.push(`  ${question.questionId}: ${question.answered} answers (free text, not tallied)`);
    }
  }
  if (!report.signed) {
    lines.push('No published result in the bundle to compare with: the figures above are the recount.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `Published result: key ${report.signed.keyId}, tree size ${report.signed.treeSize}; signature ${report.signatureValid ? 'valid' : 'INVALID'}; its tree head ${report.rootInBundle ? 'is' : 'is NOT'} among the bundle's signed heads.`,
  );
  if (report.match) lines.push('MATCH — the recount gives exactly the published result.');
  else for (const difference of report.differences) lines.push(`MISMATCH — ${difference}`);
  return `${lines.join('\n')}\n`;
}
