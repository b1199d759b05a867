import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { inTransaction } from '@palabre/event-store';
import { ProblemError } from '../http/problem.js';
import { canSeeCommune, type Principal } from '../platform/principal.js';
import { type Clock, CLOCK, PG_POOL } from '../platform/tokens.js';
import { DocumentDigests } from './document-digests.js';

/** At most this many lines per import (a commune of 150,000 residents is about 4 MB of CSV). */
export const CENSUS_MAX_ENTRIES = 300_000;

export interface CensusStatus {
  communeId: string;
  entries: number;
  importedAt: string | null;
}

/**
 * The census list a commune imports: document number and quartier per resident. Only keyed digests
 * are kept, so the list cannot be read back; an in-person check records whether the document is on
 * it (`censusMatch`) and takes the resident's quartier from it when the agent gives none.
 */
@Injectable()
export class Census {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly digests: DocumentDigests,
  ) {}

  /** Replaces the commune's list with this CSV (`documentNumber,quartierId` per line, quartier optional, an optional header). */
  async import(principal: Principal, communeId: string, csv: string): Promise<CensusStatus> {
    if (principal.kind !== 'staff' || principal.role !== 'admin' || !canSeeCommune(principal, communeId)) {
      throw new ProblemError(403, 'auth.forbidden', `Only an admin of ${communeId} imports its census list.`);
    }
    const quartiers = new Set((await this.pool.query<{ id: string }>('SELECT id FROM reference.quartiers WHERE commune_id = $1', [communeId])).rows.map((r) => r.id));
    if (quartiers.size === 0 && !(await this.pool.query('SELECT 1 FROM reference.communes WHERE id = $1', [communeId])).rowCount) {
      throw new ProblemError(404, 'commune.not_found', `There is no commune ${communeId}.`, [{ path: 'path.communeId', message: 'unknown commune' }]);
    }
    const entries = new Map<string, string | null>();
    const lines = csv.split(/\r?\n/);
    for (const [index, raw] of lines.entries()) {
      const line = raw.trim();
      if (line === '' || (index === 0 && /^document/i.test(line))) continue;
      const [number = '', quartier = ''] = line.split(/[,;\t]/).map((cell) => cell.trim().replace(/^"|"$/g, ''));
      const documentNumber = number.toUpperCase().replace(/[\s-]/g, '');
      const where = { path: `body.line ${index + 1}`, message: '' };
      if (!/^[A-Z0-9]{4,30}$/.test(documentNumber)) throw new ProblemError(400, 'census.bad_document', `Line ${index + 1}: "${number}" is not a document number (4 to 30 letters and digits).`, [{ ...where, message: 'not a document number' }]);
      if (quartier !== '' && !quartiers.has(quartier)) throw new ProblemError(400, 'census.unknown_quartier', `Line ${index + 1}: there is no quartier ${quartier} in ${communeId}.`, [{ ...where, message: 'unknown quartier' }]);
      entries.set(this.digests.of(communeId, documentNumber), quartier || null);
      if (entries.size > CENSUS_MAX_ENTRIES) throw new ProblemError(413, 'census.too_large', `A census list holds at most ${CENSUS_MAX_ENTRIES} residents.`, [{ path: 'body', message: 'too many lines' }]);
    }
    if (entries.size === 0) throw new ProblemError(400, 'census.empty', 'The list holds no resident: one line per resident, "documentNumber,quartierId".', [{ path: 'body', message: 'no line' }]);
    const now = this.clock();
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM auth.census WHERE commune_id = $1', [communeId]);
      const digests = [...entries.keys()];
      const quartierIds = [...entries.values()];
      for (let start = 0; start < digests.length; start += 20_000) {
        await client.query('INSERT INTO auth.census (commune_id, document_digest, quartier_id) SELECT $1, d, q FROM unnest($2::text[], $3::text[]) AS t(d, q)', [
          communeId,
          digests.slice(start, start + 20_000),
          quartierIds.slice(start, start + 20_000),
        ]);
      }
      await client.query(
        `INSERT INTO auth.census_imports (commune_id, entries, imported_at, imported_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (commune_id) DO UPDATE SET entries = EXCLUDED.entries, imported_at = EXCLUDED.imported_at, imported_by = EXCLUDED.imported_by`,
        [communeId, entries.size, now, principal.id],
      );
    });
    return { communeId, entries: entries.size, importedAt: now.toISOString() };
  }

  async status(principal: Principal, communeId: string): Promise<CensusStatus> {
    if (principal.kind !== 'staff' || !canSeeCommune(principal, communeId)) throw new ProblemError(403, 'auth.forbidden', `Only staff of ${communeId} see its census list.`);
    const { rows } = await this.pool.query<{ entries: number; imported_at: Date }>('SELECT entries, imported_at FROM auth.census_imports WHERE commune_id = $1', [communeId]);
    return { communeId, entries: rows[0]?.entries ?? 0, importedAt: rows[0]?.imported_at.toISOString() ?? null };
  }

  /** Whether this document (as its digest) is on the commune's list, and where its holder lives. */
  async match(communeId: string, documentDigest: string): Promise<{ quartierId: string | null } | null> {
    const { rows } = await this.pool.query<{ quartier_id: string | null }>('SELECT quartier_id FROM auth.census WHERE commune_id = $1 AND document_digest = $2', [communeId, documentDigest]);
    return rows[0] ? { quartierId: rows[0].quartier_id } : null;
  }
}
