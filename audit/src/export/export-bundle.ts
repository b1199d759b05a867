import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { availableParallelism } from 'node:os';
import { type EventStore, type GlobalPosition, type PostgresEventStore, parsePosition } from '@palabre/event-store';
import { BUNDLE_FILES, BUNDLE_FORMAT, type BundleFile, type ExportFormat, type ExportScope, HASHING_DESCRIPTION, type Manifest, rangeEnd, type TreeHeadsFile } from '../bundle/format.js';
import { bundleReadme } from '../bundle/readme.js';
import { envelopeOf, envelopeText } from '../log/envelope.js';
import { signLatestTreeHead } from '../log/projector.js';
import type { SignedTreeHead } from '../log/tree-head.js';
import { latestTreeHead, listTreeHeads, publicKeys, type Queryable } from '../log/tree-store.js';
import { ProofTexts } from '../merkle/proof-text.js';
import { consistencyProof, MemoryTree, rootHash } from '../merkle/tree.js';
import type { TreeHeadSigner } from '../signing/keys.js';
import { ContactStatuses } from './contact-status.js';
import { BundleFileWriter } from './files.js';
import { People } from './pseudonyms.js';
import { csvHeader, csvRow, isStaffField, ticketFeature } from './readable.js';
import { jsonlLine } from './jsonl-lines.js';
import { JsonlWorkers, parallelExportAvailable } from './parallel-jsonl.js';
import { readableProjects, readableProposals, writeProjectsCsv, writeProjectsGeojson, writeProposalsCsv, writeProposalsGeojson } from './participation-readable.js';
import { ProjectStates } from './projects.js';
import { ProposalStates } from './proposals.js';
import { ExportError, scopeAdmits, scopeMatcher } from './scope.js';
import { TicketStates } from './tickets.js';

export interface ExportProgress {
  readonly phase: 'tree' | 'events' | 'tickets' | 'done';
  readonly done: number;
  readonly total: number;
}

export interface ExportOptions {
  readonly store: EventStore;
  readonly pool: pg.Pool;
  readonly scope: ExportScope;
  readonly formats: readonly ExportFormat[];
  /** A directory that does not exist yet or is empty. */
  readonly outDir: string;
  /** With a signer, the export first signs a head over everything projected so far. */
  readonly signer?: TreeHeadSigner | null;
  /** Staff appear by username (and staff streams may be exported); only for roles allowed to see them. */
  readonly staffNames?: boolean;
  readonly requestedByRole?: string | null;
  readonly onProgress?: (progress: ExportProgress) => void;
  readonly pageSize?: number;
  readonly clock?: () => Date;
  /**
   * Worker threads formatting the JSONL file (default: the machine's cores, at most 4; 1 = this
   * thread only). Needs the log in PostgreSQL and the compiled worker (dist/).
   */
  readonly workers?: number;
  /** Leaves per unit of work handed to a worker (default 20,000). */
  readonly segmentSize?: number;
}

const LEAF_PAGE = 100_000;

/**
 * Writes a bundle: the scoped events with their inclusion proofs (JSONL), readable views (CSV,
 * GeoJSON), the signed tree heads with consistency proofs, the public key, a manifest and a README.
 * Events come from the store as it is now, leaf indexes from their order in it; the proofs come
 * from the tree recorded as events arrived, so anything changed since shows in the verifier.
 */
export async function exportBundle(options: ExportOptions): Promise<Manifest> {
  const { formats, outDir, pageSize = 2000 } = options;
  const staffNames = options.staffNames ?? false;
  // Staff streams carry usernames: only those allowed to see staff names may take them out.
  const scope = staffNames ? options.scope : { ...options.scope, excludedStreamTypes: [...new Set([...options.scope.excludedStreamTypes, 'staff'])].sort() };
  prepareDirectory(outDir);

  const parallelSetup = formats.includes('jsonl') ? parallelSource(options) : null;
  // Started first: the workers load their code and connect while the tree loads.
  const parallel = parallelSetup ? new JsonlWorkers({ ...parallelSetup, scope, pageSize }) : null;
  try {
    return await exportWith(options, scope, staffNames, parallel);
  } finally {
    await parallel?.close();
  }
}

async function exportWith(options: ExportOptions, scope: ExportScope, staffNames: boolean, parallel: JsonlWorkers | null): Promise<Manifest> {
  const { store, pool, formats, outDir, onProgress = () => {}, pageSize = 2000, clock = () => new Date() } = options;
  const head = (options.signer ? await signLatestTreeHead(pool, options.signer, clock) : null) ?? (await latestTreeHead(pool));
  if (head === null) throw new ExportError('export.no_tree_head', 'No tree head has been signed yet: start the transparency log projector first.');
  const tree = await loadTree(pool, head, onProgress, parallel);
  const range = await leafRange(pool, scope, head.treeSize);
  const warnings: string[] = [];

  const people = new People(staffNames, store);
  const contacts = new ContactStatuses(pool);
  const readable = formats.includes('csv') || formats.includes('geojson');
  const tickets = readable ? new TicketStates(store) : null;
  // Proposals (with their supports) and projects, folded in the same pass, when the scope may hold them.
  const proposals = readable && scopeAdmits(scope, 'proposal') ? new ProposalStates(store) : null;
  const projects = readable && scopeAdmits(scope, 'project') ? new ProjectStates(store) : null;
  const matches = scopeMatcher(scope);
  const writers = {
    jsonl: formats.includes('jsonl') ? new BundleFileWriter(join(outDir, BUNDLE_FILES.jsonl)) : null,
    csv: formats.includes('csv') ? new BundleFileWriter(join(outDir, BUNDLE_FILES.csv)) : null,
  };
  let exported = 0;
  try {
    const files: Record<string, BundleFile> = {};
    if (parallel && writers.jsonl) {
      const result = await parallel.write({
        db: pool,
        tree,
        treeSize: head.treeSize,
        range,
        writer: writers.jsonl,
        segmentSize: options.segmentSize ?? 20_000,
        onProgress: (done, total) => onProgress({ phase: 'events', done, total }),
      });
      files[BUNDLE_FILES.jsonl] = result.file;
      exported = result.records;
      warnings.push(...result.warnings);
      writers.jsonl = null;
    }
    await writers.csv?.write(csvHeader());
    let index = range.first;
    const total = range.end - range.first;
    const proofs = new ProofTexts(tree, head.treeSize);
    // The next page is read while this one is written: PostgreSQL and this process work side by side.
    const read = (after: GlobalPosition | null, count: number) => {
      const page = count > 0 ? store.readAll(after, Math.min(pageSize, count)) : Promise.resolve([]);
      page.catch(() => {}); // awaited below; a failure must not surface as unhandled meanwhile
      return page;
    };
    // The readable files (and the JSONL file when it is not written in parallel) in one pass.
    const sequential = writers.jsonl !== null || writers.csv !== null || readable;
    let next = read(range.startAfter, sequential ? range.end - index : 0);
    while (sequential && index < range.end) {
      const page = await next;
      if (page.length === 0) {
        warnings.push(`The log now holds ${range.end - index} events fewer than the tree recorded in this range (it ends at leaf ${index}).`);
        break;
      }
      next = read(page[page.length - 1]!.position, range.end - index - page.length);
      const selected = [];
      for (const event of page) {
        const envelope = envelopeOf(event);
        if (matches(envelope)) selected.push({ event, envelope, leafIndex: index });
        index++;
      }
      if (writers.csv) {
        await people.learnStaff(selected.flatMap(({ envelope: e }) => staffIdsOf(e)));
        await contacts.learn(selected.flatMap(({ envelope: e }) => subjectOf(e.data)));
      }
      // Joined once per page (see segmentLines): cheaper than growing one string line by line.
      const jsonl: string[] = [];
      const csv: string[] = [];
      for (const { event, envelope, leafIndex } of selected) {
        if (writers.jsonl) jsonl.push(jsonlLine(leafIndex, envelopeText(event), proofs));
        const ticket = tickets ? await tickets.apply(envelope, leafIndex) : null;
        if (ticket === null && !(await proposals?.apply(envelope, leafIndex))) await projects?.apply(envelope, leafIndex);
        if (writers.csv) csv.push(csvRow(leafIndex, envelope, ticket, people, contacts));
      }
      if (!parallel) exported += selected.length;
      await writers.jsonl?.write(jsonl.join(''), selected.length);
      await writers.csv?.write(csv.join(''), selected.length);
      onProgress({ phase: 'events', done: index - range.first, total });
    }

    if (writers.jsonl) files[BUNDLE_FILES.jsonl] = await writers.jsonl.close();
    if (writers.csv) files[BUNDLE_FILES.csv] = await writers.csv.close();
    let ticketCount = tickets?.tickets.size ?? 0;
    if (tickets && formats.includes('geojson')) {
      onProgress({ phase: 'tickets', done: 0, total: tickets.tickets.size });
      const result = await writeGeojson(join(outDir, BUNDLE_FILES.geojson), tickets, people, contacts);
      files[BUNDLE_FILES.geojson] = result;
      ticketCount = result.records;
    }
    if (tickets && tickets.unreadableEvents > 0) warnings.push(`${tickets.unreadableEvents} ticket events could not be read by this version; their tickets have no final state in the readable files.`);

    const asOf = rangeEnd(scope, head);
    if (proposals && formats.includes('csv')) files[BUNDLE_FILES.proposalsCsv] = await writeProposalsCsv(join(outDir, BUNDLE_FILES.proposalsCsv), proposals, asOf);
    if (proposals && formats.includes('geojson')) files[BUNDLE_FILES.proposalsGeojson] = await writeProposalsGeojson(join(outDir, BUNDLE_FILES.proposalsGeojson), proposals, asOf);
    if (projects && formats.includes('csv')) files[BUNDLE_FILES.projectsCsv] = await writeProjectsCsv(join(outDir, BUNDLE_FILES.projectsCsv), projects);
    if (projects && formats.includes('geojson')) files[BUNDLE_FILES.projectsGeojson] = await writeProjectsGeojson(join(outDir, BUNDLE_FILES.projectsGeojson), projects);
    if (proposals && proposals.unreadableEvents > 0) warnings.push(`${proposals.unreadableEvents} proposal or support events could not be read by this version; their proposals have no final state in the readable files.`);
    if (projects && projects.unreadableEvents > 0) warnings.push(`${projects.unreadableEvents} project events could not be read by this version; their projects have no final state in the readable files.`);
    if (proposals && proposals.proposals.size > 0 && range.first > 0) {
      warnings.push(`Supports are counted from this bundle's events: a support last given or withdrawn before leaf ${range.first} is not counted. Export from the beginning for whole counts.`);
    }

    await writeTreeHeads(pool, tree, head, outDir);
    writeFileSync(join(outDir, BUNDLE_FILES.publicKey), await publicKeyOf(pool, head, options.signer ?? null));
    const manifest: Manifest = {
      format: BUNDLE_FORMAT,
      createdAt: clock().toISOString(),
      requestedByRole: options.requestedByRole ?? null,
      scope,
      leafRange: { first: range.first, end: range.end },
      treeHead: head,
      staffNames: staffNames ? 'included' : 'pseudonymised',
      files,
      counts: { events: exported, tickets: ticketCount, proposals: proposals ? readableProposals(proposals).length : 0, projects: projects ? readableProjects(projects).length : 0 },
      hashing: HASHING_DESCRIPTION,
      warnings,
    };
    writeFileSync(join(outDir, BUNDLE_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(outDir, BUNDLE_FILES.readme), bundleReadme(manifest));
    onProgress({ phase: 'done', done: range.end - range.first, total: range.end - range.first });
    return manifest;
  } catch (error) {
    writers.jsonl?.abort();
    writers.csv?.abort();
    throw error;
  }
}

/** Where worker threads can read the log from, or null when this export runs in one thread. */
function parallelSource(options: ExportOptions): { connectionString: string; schema: string; workers: number } | null {
  const workers = options.workers ?? Math.min(4, availableParallelism());
  const store = options.store as Partial<PostgresEventStore>;
  const connectionString = store.pool?.options.connectionString;
  if (workers < 2 || typeof store.schema !== 'string' || typeof connectionString !== 'string' || !parallelExportAvailable()) return null;
  return { connectionString, schema: store.schema, workers };
}

function prepareDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) throw new ExportError('export.directory_not_empty', `${dir} is not empty; export into a new directory.`);
}

/** The tree of the head, rebuilt in memory from the recorded leaves, and checked against the signed root. */
async function loadTree(db: Queryable, head: SignedTreeHead, onProgress: (p: ExportProgress) => void, parallel: JsonlWorkers | null): Promise<MemoryTree> {
  // With workers, the levels live in shared memory and the workers hash them.
  const levels = parallel ? JsonlWorkers.treeLevels(head.treeSize) : null;
  const leaves = levels ? levels[0]! : Buffer.allocUnsafe(head.treeSize * 32);
  for (let first = 0; first < head.treeSize; first += LEAF_PAGE) {
    // One value per page: decoding one long bytea costs far less than 100,000 short ones.
    const { rows } = await db.query<{ count: number; hashes: Buffer | null; exact: boolean }>(
      `SELECT count(*)::integer AS count, string_agg(leaf_hash, ''::bytea ORDER BY leaf_index) AS hashes,
              coalesce(bool_and(length(leaf_hash) = 32), true) AS exact
       FROM audit.leaves WHERE leaf_index >= $1 AND leaf_index < $2`,
      [first, Math.min(first + LEAF_PAGE, head.treeSize)],
    );
    const page = rows[0]!;
    if (page.count !== Math.min(LEAF_PAGE, head.treeSize - first) || !page.exact || page.hashes === null) {
      throw new ExportError('export.tree_mismatch', `The transparency log lacks leaves below ${head.treeSize}.`);
    }
    page.hashes.copy(leaves, first * 32);
    onProgress({ phase: 'tree', done: Math.min(first + LEAF_PAGE, head.treeSize), total: head.treeSize });
  }
  const tree = parallel && levels ? await parallel.buildTree(levels, head.treeSize) : new MemoryTree(leaves);
  if (rootHash(tree, head.treeSize).toString('base64') !== head.rootHash) {
    throw new ExportError('export.tree_mismatch', `The recorded leaves no longer give the root signed at tree size ${head.treeSize}: the transparency log itself was altered.`);
  }
  return tree;
}

/** Leaves [first, end) whose recorded time may fall in the scope, and the log position just before `first`. */
async function leafRange(db: Queryable, scope: ExportScope, treeSize: number): Promise<{ first: number; end: number; startAfter: GlobalPosition | null }> {
  const { rows } = await db.query<{ first: string | null; last: string | null }>(
    `SELECT (SELECT min(leaf_index) FROM audit.leaves WHERE leaf_index < $3 AND ($1::timestamptz IS NULL OR recorded_at >= $1))::text AS first,
            (SELECT max(leaf_index) FROM audit.leaves WHERE leaf_index < $3 AND ($2::timestamptz IS NULL OR recorded_at <= $2))::text AS last`,
    [scope.from, scope.to, treeSize],
  );
  const first = rows[0]!.first === null ? treeSize : Number(rows[0]!.first);
  const end = rows[0]!.last === null ? first : Math.max(first, Number(rows[0]!.last) + 1);
  if (first === 0 || first >= end) return { first, end, startAfter: null };
  const before = await db.query<{ position: string }>('SELECT position FROM audit.leaves WHERE leaf_index = $1', [first - 1]);
  return { first, end, startAfter: parsePosition(before.rows[0]!.position) };
}

async function writeGeojson(path: string, tickets: TicketStates, people: People, contacts: ContactStatuses): Promise<BundleFile> {
  await contacts.learn([...tickets.tickets.values()].flatMap((t) => (t.state.contactSubjectId ? [t.state.contactSubjectId] : [])));
  await people.learnStaff([...tickets.tickets.values()].flatMap((t) => (t.state.agentId ? [t.state.agentId] : [])));
  const file = new BundleFileWriter(path);
  await file.write('{"type":"FeatureCollection","features":[\n');
  let first = true;
  for (const [id, tracked] of tickets.tickets) {
    const feature = ticketFeature(id, tracked, people, contacts);
    if (feature === null) continue;
    await file.write(`${first ? '' : ',\n'}${JSON.stringify(feature)}`, 1);
    first = false;
  }
  await file.write('\n]}\n');
  return file.close();
}

/** Every head up to the export's, with a consistency proof from each to the next. */
async function writeTreeHeads(db: Queryable, tree: MemoryTree, head: SignedTreeHead, outDir: string): Promise<void> {
  const heads = await listTreeHeads(db, { toSize: head.treeSize });
  const consistency = heads.slice(1).map((next, i) => ({
    fromSize: heads[i]!.treeSize,
    toSize: next.treeSize,
    proof: consistencyProof(tree, heads[i]!.treeSize, next.treeSize).map((h) => h.toString('base64')),
  }));
  const file: TreeHeadsFile = { treeHeads: heads, consistency };
  writeFileSync(join(outDir, BUNDLE_FILES.treeHeads), `${JSON.stringify(file, null, 1)}\n`);
}

async function publicKeyOf(db: Queryable, head: SignedTreeHead, signer: TreeHeadSigner | null): Promise<string> {
  if (signer && signer.keyId === head.keyId) return signer.publicKeyPem;
  const key = (await publicKeys(db)).find((k) => k.keyId === head.keyId);
  if (!key) throw new ExportError('export.no_public_key', `The public key ${head.keyId} that signed the tree head is not recorded.`);
  return key.publicKeyPem;
}

function staffIdsOf(e: { metadata: { actor?: { id: string; role: string } }; data: unknown }): string[] {
  const ids: string[] = [];
  const actor = e.metadata?.actor;
  if (actor && actor.role !== 'citizen' && actor.role !== 'system') ids.push(actor.id);
  const d = e.data as Record<string, unknown> | null;
  for (const key of ['agentId', 'previousAgentId']) if (typeof d?.[key] === 'string') ids.push(d[key] as string);
  for (const [key, value] of Object.entries(d ?? {})) if (isStaffField(key, value)) ids.push(value);
  const filedBy = (d?.author as { filedBy?: unknown } | undefined)?.filedBy;
  if (typeof filedBy === 'string') ids.push(filedBy);
  return ids;
}

const subjectOf = (data: unknown): string[] => {
  const id = (data as { contactSubjectId?: unknown } | null)?.contactSubjectId;
  return typeof id === 'string' ? [id] : [];
};

