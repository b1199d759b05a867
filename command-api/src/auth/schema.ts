import { existsSync, readFileSync } from 'node:fs';
import type pg from 'pg';

// Beside this module in src/; from dist/auth/ the source copy is two levels up (tsc copies no .sql).
const schemaFile = ['./schema.sql', '../../src/auth/schema.sql'].map((p) => new URL(p, import.meta.url)).find((url) => existsSync(url));

/** Creates the auth schema and tables if missing; safe to call at every start, even concurrently. */
export async function ensureAuthSchema(pool: pg.Pool): Promise<void> {
  if (!schemaFile) throw new Error('auth/schema.sql not found beside the auth module');
  const sql = readFileSync(schemaFile, 'utf8');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalog; serialise the starts.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('palabre.auth.schema'))`);
    await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
