import type pg from 'pg';
import { applySqlFile } from '@palabre/event-store';

/** Creates the citizens' verification tables if missing; safe at every start, even concurrently. */
export const ensureCitizenSchema = (pool: pg.Pool): Promise<void> => applySqlFile(pool, import.meta.url, 'citizens/schema.sql', 'palabre.citizens.schema');
