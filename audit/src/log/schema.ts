import type pg from 'pg';
import { applySqlFile } from '@palabre/event-store';

/** Creates the `audit` schema if missing; safe at every start, even from several processes at once. */
export const ensureAuditSchema = (pool: pg.Pool): Promise<void> => applySqlFile(pool, import.meta.url, 'log/schema.sql', 'palabre.audit.schema');
