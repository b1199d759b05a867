import type pg from 'pg';
import { applySchemaFile } from '../platform/sql.js';

/** Creates the auth schema and tables if missing; safe to call at every start, even concurrently. */
export const ensureAuthSchema = (pool: pg.Pool): Promise<void> => applySchemaFile(pool, import.meta.url, 'auth');
