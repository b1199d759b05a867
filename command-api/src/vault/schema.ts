import type pg from 'pg';
import { applySchemaFile } from '../platform/sql.js';

/** Creates the vault schema and tables if missing; safe to call at every start, even concurrently. */
export const ensureVaultSchema = (pool: pg.Pool): Promise<void> => applySchemaFile(pool, import.meta.url, 'vault');
