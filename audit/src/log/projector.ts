import type pg from 'pg';
import type { RecordedEvent } from '@palabre/event-store';
import { formatPosition, inTransaction } from '@palabre/event-store';
import type { Projector } from '@palabre/projections';
import type { Frontier } from '../merkle/tree.js';
import type { TreeHeadSigner } from '../signing/keys.js';
import { eventLeafHash } from './envelope.js';
import { signTreeHead, type SignedTreeHead } from './tree-head.js';
import { insertTreeHead, latestTreeHead, loadFrontier, type Queryable, rememberPublicKey, storedTreeSize } from './tree-store.js';

/** Name of the projector's checkpoint; out-of-band signers lock the same row. */
export const TRANSPARENCY_LOG_PROJECTOR = 'audit-tree';

/** When to sign a new tree head: after this many new events, or this long after the last head. */
export interface SigningPolicy {
  readonly everyEvents: number;
  readonly everyMs: number;
}

export const defaultSigningPolicy: SigningPolicy = { everyEvents: 1000, everyMs: 10 * 60_000 };

export interface TransparencyLogOptions {
  readonly signer: TreeHeadSigner;
  readonly policy?: SigningPolicy;
  readonly clock?: () => Date;
}

/**
 * Appends one leaf per event, in commit order, with the interior nodes they complete, and signs a
 * tree head when the policy says so, all in the runner's transaction (rows + checkpoint commit together).
 */
export function transparencyLogProjector({ signer, policy = defaultSigningPolicy, clock = () => new Date() }: TransparencyLogOptions): Projector {
  // The frontier after our last batch; reused only while the stored size still matches it.
  let cached: Frontier | null = null;
  let keyRecorded = false;
  return {
    name: TRANSPARENCY_LOG_PROJECTOR,
    async handle(client: pg.ClientBase, events: readonly RecordedEvent[]) {
      const size = await storedTreeSize(client);
      const frontier = cached !== null && cached.size === size ? cached : await loadFrontier(client, size);
      cached = null; // until this batch's rows are written, the cache is no longer trusted
      const leaves = { index: [] as number[], position: [] as string[], eventId: [] as string[], stream: [] as string[], commune: [] as (string | null)[], at: [] as string[], hash: [] as Buffer[] };
      const nodes = { level: [] as number[], index: [] as number[], hash: [] as Buffer[] };
      for (const event of events) {
        const hash = eventLeafHash(event);
        leaves.index.push(frontier.size);
        leaves.position.push(formatPosition(event.position));
        leaves.eventId.push(event.metadata.eventId);
        leaves.stream.push(event.streamId);
        leaves.commune.push(event.metadata.communeId);
        leaves.at.push(event.metadata.recordedAt);
        leaves.hash.push(hash);
        for (const node of frontier.append(hash)) {
          nodes.level.push(node.level);
          nodes.index.push(node.index);
          nodes.hash.push(node.hash);
        }
      }
      await client.query(
        `INSERT INTO audit.leaves (leaf_index, position, event_id, stream_id, commune_id, recorded_at, leaf_hash)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::bytea[])`,
        [leaves.index, leaves.position, leaves.eventId, leaves.stream, leaves.commune, leaves.at, leaves.hash],
      );
      if (nodes.level.length > 0) {
        await client.query('INSERT INTO audit.nodes (level, node_index, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])', [
          nodes.level,
          nodes.index,
          nodes.hash,
        ]);
      }
      if (!keyRecorded) await rememberPublicKey(client, signer.keyId, signer.publicKeyPem);
      keyRecorded = true;
      await signIfDue(client, signer, frontier, policy, clock());
      cached = frontier;
      return { changes: [] };
    },
  };
}

/** Signs the tree as it stands when the policy says a head is due; returns the new head, if any. */
async function signIfDue(db: Queryable, signer: TreeHeadSigner, frontier: Frontier, policy: SigningPolicy, now: Date): Promise<SignedTreeHead | null> {
  const latest = await latestTreeHead(db);
  if (latest !== null && latest.treeSize >= frontier.size) return null;
  const due = latest === null || frontier.size - latest.treeSize >= policy.everyEvents || now.getTime() - Date.parse(latest.timestamp) >= policy.everyMs;
  if (!due) return null;
  const head = signTreeHead(signer, frontier.size, frontier.root(), now);
  await insertTreeHead(db, head);
  return head;
}

/**
 * Signs a head over every leaf committed so far, unless the latest head already covers them; used
 * on a timer (quiet logs still get their last events signed) and before an export. It locks the
 * projector's checkpoint row first, so it never interleaves with a batch and heads grow in order.
 */
export async function signLatestTreeHead(pool: pg.Pool, signer: TreeHeadSigner, clock: () => Date = () => new Date()): Promise<SignedTreeHead | null> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT position FROM projections.checkpoints WHERE name = $1 FOR UPDATE', [TRANSPARENCY_LOG_PROJECTOR]);
    const size = await storedTreeSize(client);
    const latest = await latestTreeHead(client);
    if (size === 0 || (latest !== null && latest.treeSize >= size)) return latest;
    const frontier = await loadFrontier(client, size);
    await rememberPublicKey(client, signer.keyId, signer.publicKeyPem);
    const head = signTreeHead(signer, size, frontier.root(), clock());
    await insertTreeHead(client, head);
    return head;
  });
}
