import type pg from 'pg';
import { applySqlFile } from '@palabre/event-store';

/** Creates the auth schema and tables if missing; safe to call at every start, even concurrently. */
export const ensureAuthSchema = (pool: pg.Pool): Promise<void> => applySqlFile(pool, import.meta.url, 'auth/schema.sql', 'palabre.auth.schema');
