import { existsSync, readFileSync } from 'node:fs';
import type pg from 'pg';

// Beside this module in src/ (tests) and copied into dist/ by scripts/copy-assets.mjs.
const schemaFile = ['./schema.sql', '../../src/log/schema.sql'].map((p) => new URL(p, import.meta.url)).find((url) => existsSync(url));

/** Creates the `audit` schema if missing; safe at every start, even from several processes at once. */
export async function ensureAuditSchema(pool: pg.Pool): Promise<void> {
  if (!schemaFile) throw new Error('audit/log/schema.sql not found beside the audit module');
  const sql = readFileSync(schemaFile, 'utf8');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('palabre.audit.schema'))`);
    await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
