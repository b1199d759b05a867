import { existsSync, readFileSync } from 'node:fs';
import type pg from 'pg';

/** Runs `fn` in a transaction on a pooled client; a client whose rollback failed is discarded, not reused. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

/**
 * Applies a module's idempotent SQL file (CREATE ... IF NOT EXISTS). `sourcePath` is the file's
 * path under the workspace's src/ (e.g. `vault/schema.sql`); from dist/ it is the build's copy, or
 * the source when a plain `tsc -b` copied none. Serialised by an advisory lock named `lock`, because
 * concurrent CREATE ... IF NOT EXISTS can still collide in the catalog.
 */
export async function applySqlFile(pool: pg.Pool, moduleUrl: string, sourcePath: string, lock: string): Promise<void> {
  const name = sourcePath.slice(sourcePath.lastIndexOf('/') + 1);
  const file = [`./${name}`, `../../src/${sourcePath}`].map((p) => new URL(p, moduleUrl)).find((url) => existsSync(url));
  if (!file) throw new Error(`${sourcePath} not found beside its module`);
  const sql = readFileSync(file, 'utf8');
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
    await client.query(sql);
  });
}
