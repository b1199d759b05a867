import { consistencyProof, inclusionProof, rootHash } from '../merkle/tree.js';
import type { SignedTreeHead } from './tree-head.js';
import { latestTreeHead, type Queryable, storedTreeSize, treeHeadOfSize, withStoredNodes } from './tree-store.js';

export class ProofError extends Error {
  override readonly name = 'ProofError';
  constructor(
    /** Stable code for the API: `proof.unknown_event`, `proof.out_of_range`, `proof.no_tree_head`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface InclusionProofAnswer {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly eventId: string;
  readonly position: string;
  readonly leafHash: string;
  /** Base64 hashes, leaf to root (RFC 9162 §2.1.3). */
  readonly inclusionProof: string[];
  readonly rootHash: string;
  /** The signed head of that size, when one exists. */
  readonly treeHead: SignedTreeHead | null;
}

export interface ConsistencyProofAnswer {
  readonly fromSize: number;
  readonly toSize: number;
  readonly fromRoot: string;
  readonly toRoot: string;
  /** Base64 hashes (RFC 9162 §2.1.4). */
  readonly consistencyProof: string[];
  readonly fromHead: SignedTreeHead | null;
  readonly toHead: SignedTreeHead | null;
}

const b64 = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('base64'));

/** Proofs served from the stored tree: a few indexed reads, whatever the log's size. */
export async function inclusionProofFor(
  db: Queryable,
  target: { readonly leafIndex: number } | { readonly eventId: string },
  treeSize?: number,
): Promise<InclusionProofAnswer> {
  const { rows } = await db.query<{ leaf_index: string; event_id: string; position: string; leaf_hash: Buffer }>(
    'leafIndex' in target
      ? 'SELECT l.leaf_index::text AS leaf_index, l.event_id, l.position, l.leaf_hash FROM audit.leaves l WHERE l.leaf_index = $1'
      : 'SELECT l.leaf_index::text AS leaf_index, l.event_id, l.position, l.leaf_hash FROM audit.leaves l WHERE l.event_id = $1 ORDER BY l.leaf_index LIMIT 1',
    ['leafIndex' in target ? target.leafIndex : target.eventId],
  );
  const leaf = rows[0];
  if (!leaf) throw new ProofError('proof.unknown_event', 'leafIndex' in target ? `No leaf ${target.leafIndex} in the log yet.` : `No event ${target.eventId} in the transparency log yet.`);
  const size = await resolveSize(db, treeSize);
  const leafIndex = Number(leaf.leaf_index);
  if (leafIndex >= size) throw new ProofError('proof.out_of_range', `Leaf ${leafIndex} came after the tree of ${size} leaves; ask for a larger tree size.`);
  const { proof, root } = await withStoredNodes(db, (source) => ({ proof: inclusionProof(source, leafIndex, size), root: rootHash(source, size) }));
  return {
    leafIndex,
    treeSize: size,
    eventId: leaf.event_id,
    position: leaf.position,
    leafHash: leaf.leaf_hash.toString('base64'),
    inclusionProof: b64(proof),
    rootHash: root.toString('base64'),
    treeHead: await treeHeadOfSize(db, size),
  };
}

export async function consistencyProofFor(db: Queryable, fromSize: number, toSize?: number): Promise<ConsistencyProofAnswer> {
  const to = await resolveSize(db, toSize);
  if (!(Number.isSafeInteger(fromSize) && fromSize >= 1 && fromSize <= to)) {
    throw new ProofError('proof.out_of_range', `A consistency proof goes from 1 ≤ from ≤ to = ${to}; got from = ${fromSize}.`);
  }
  const answer = await withStoredNodes(db, (source) => ({
    proof: consistencyProof(source, fromSize, to),
    fromRoot: rootHash(source, fromSize),
    toRoot: rootHash(source, to),
  }));
  return {
    fromSize,
    toSize: to,
    fromRoot: answer.fromRoot.toString('base64'),
    toRoot: answer.toRoot.toString('base64'),
    consistencyProof: b64(answer.proof),
    fromHead: await treeHeadOfSize(db, fromSize),
    toHead: await treeHeadOfSize(db, to),
  };
}

/** The requested size if the tree has reached it, else the latest signed head's. */
async function resolveSize(db: Queryable, treeSize: number | undefined): Promise<number> {
  if (treeSize === undefined) {
    const head = await latestTreeHead(db);
    if (!head) throw new ProofError('proof.no_tree_head', 'No tree head has been signed yet.');
    return head.treeSize;
  }
  const stored = await storedTreeSize(db);
  if (!(Number.isSafeInteger(treeSize) && treeSize >= 1 && treeSize <= stored)) {
    throw new ProofError('proof.out_of_range', `The tree has ${stored} leaves; a tree size must be between 1 and ${stored}.`);
  }
  return treeSize;
}
