import { existsSync, readFileSync } from 'node:fs';
import type pg from 'pg';

/** Runs `work` in a transaction on one pooled connection: committed, or rolled back and rethrown. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Applies a module's idempotent `schema.sql` (CREATE ... IF NOT EXISTS), found beside the module in
 * src/ or, from dist/, in the build's copy or the source. Serialised by an advisory lock, because
 * concurrent CREATE ... IF NOT EXISTS can still collide in the catalog.
 */
export async function applySchemaFile(pool: pg.Pool, moduleUrl: string, folder: string): Promise<void> {
  const file = ['./schema.sql', `../../src/${folder}/schema.sql`].map((p) => new URL(p, moduleUrl)).find((url) => existsSync(url));
  if (!file) throw new Error(`${folder}/schema.sql not found beside the ${folder} module`);
  const sql = readFileSync(file, 'utf8');
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`palabre.${folder}.schema`]);
    await client.query(sql);
  });
}
