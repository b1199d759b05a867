import type pg from 'pg';
import { Frontier, frontierKeys, type NodeSource } from '../merkle/tree.js';
import type { SignedTreeHead } from './tree-head.js';

/** Anything that runs a query: a pool or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

export async function storedTreeSize(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ size: string }>('SELECT COALESCE(max(leaf_index) + 1, 0)::text AS size FROM audit.leaves');
  return Number(rows[0]!.size);
}

/** Hashes of the given perfect nodes (level 0 = leaves), keyed `level/index`; missing ones are absent. */
export async function readNodes(db: Queryable, keys: readonly { level: number; index: number }[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  if (keys.length === 0) return found;
  const { rows } = await db.query<{ level: number; index: string; hash: Buffer }>(
    `SELECT k.level, k.idx::text AS index, COALESCE(l.leaf_hash, n.hash) AS hash
       FROM unnest($1::int[], $2::bigint[]) AS k(level, idx)
       LEFT JOIN audit.leaves l ON k.level = 0 AND l.leaf_index = k.idx
       LEFT JOIN audit.nodes n ON k.level > 0 AND n.level = k.level AND n.node_index = k.idx`,
    [keys.map((k) => k.level), keys.map((k) => k.index)],
  );
  for (const row of rows) if (row.hash !== null) found.set(`${row.level}/${row.index}`, row.hash);
  return found;
}

export async function loadFrontier(db: Queryable, size: number): Promise<Frontier> {
  const keys = frontierKeys(size);
  const nodes = await readNodes(db, keys);
  return new Frontier(
    size,
    keys.map((k) => {
      const hash = nodes.get(`${k.level}/${k.index}`);
      if (!hash) throw new Error(`The transparency log lacks node (${k.level}, ${k.index}) of its ${size}-leaf tree`);
      return hash;
    }),
  );
}

/**
 * Runs `compute` over the stored tree: a first dry run records which perfect nodes it reads, one
 * query fetches them all, the second run computes with the real hashes.
 */
export async function withStoredNodes<T>(db: Queryable, compute: (source: NodeSource) => T): Promise<T> {
  const wanted = new Map<string, { level: number; index: number }>();
  const placeholder = Buffer.alloc(32);
  compute({ node: (level, index) => (wanted.set(`${level}/${index}`, { level, index }), placeholder) });
  const nodes = await readNodes(db, [...wanted.values()]);
  return compute({
    node(level, index) {
      const hash = nodes.get(`${level}/${index}`);
      if (!hash) throw new Error(`The transparency log lacks node (${level}, ${index})`);
      return hash;
    },
  });
}

interface TreeHeadRow {
  tree_size: string;
  root_hash: Buffer;
  signed_at: string;
  key_id: string;
  signature: Buffer;
}

const toTreeHead = (row: TreeHeadRow): SignedTreeHead => ({
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash.toString('base64'),
  timestamp: row.signed_at,
  signature: row.signature.toString('base64'),
  keyId: row.key_id,
});

// Qualified: a bare `tree_size` in ORDER BY would sort by the text output column.
const HEAD_COLUMNS = 'h.tree_size::text AS tree_size, h.root_hash, h.signed_at, h.key_id, h.signature';

export async function latestTreeHead(db: Queryable): Promise<SignedTreeHead | null> {
  const { rows } = await db.query<TreeHeadRow>(`SELECT ${HEAD_COLUMNS} FROM audit.tree_heads h ORDER BY h.tree_size DESC LIMIT 1`);
  return rows[0] ? toTreeHead(rows[0]) : null;
}

export async function treeHeadOfSize(db: Queryable, treeSize: number): Promise<SignedTreeHead | null> {
  const { rows } = await db.query<TreeHeadRow>(`SELECT ${HEAD_COLUMNS} FROM audit.tree_heads h WHERE h.tree_size = $1`, [treeSize]);
  return rows[0] ? toTreeHead(rows[0]) : null;
}

/** Tree heads in size order, optionally a window of them. */
export async function listTreeHeads(db: Queryable, window: { fromSize?: number; toSize?: number; limit?: number } = {}): Promise<SignedTreeHead[]> {
  const { rows } = await db.query<TreeHeadRow>(
    `SELECT ${HEAD_COLUMNS} FROM audit.tree_heads h
      WHERE h.tree_size >= $1 AND h.tree_size <= $2 ORDER BY h.tree_size LIMIT $3`,
    [window.fromSize ?? 0, window.toSize ?? Number.MAX_SAFE_INTEGER, window.limit ?? null],
  );
  return rows.map(toTreeHead);
}

export async function insertTreeHead(db: Queryable, head: SignedTreeHead): Promise<void> {
  await db.query(
    `INSERT INTO audit.tree_heads (tree_size, root_hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tree_size) DO NOTHING`,
    [head.treeSize, Buffer.from(head.rootHash, 'base64'), head.timestamp, head.keyId, Buffer.from(head.signature, 'base64')],
  );
}

export async function rememberPublicKey(db: Queryable, keyId: string, publicKeyPem: string): Promise<void> {
  await db.query('INSERT INTO audit.signing_keys (key_id, public_key_pem) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING', [keyId, publicKeyPem]);
}

export async function publicKeys(db: Queryable): Promise<{ keyId: string; publicKeyPem: string; firstUsedAt: string }[]> {
  const { rows } = await db.query<{ key_id: string; public_key_pem: string; first_used_at: Date }>(
    'SELECT key_id, public_key_pem, first_used_at FROM audit.signing_keys ORDER BY first_used_at',
  );
  return rows.map((r) => ({ keyId: r.key_id, publicKeyPem: r.public_key_pem, firstUsedAt: r.first_used_at.toISOString() }));
}
