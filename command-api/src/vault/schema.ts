import type pg from 'pg';
import { applySqlFile } from '@palabre/event-store';

/** Creates the vault schema and tables if missing; safe to call at every start, even concurrently. */
export const ensureVaultSchema = (pool: pg.Pool): Promise<void> => applySqlFile(pool, import.meta.url, 'vault/schema.sql', 'palabre.vault.schema');
