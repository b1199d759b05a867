import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { citizenDecider, levelOf } from '@palabre/domain';
import { inTransaction } from '@palabre/event-store';
import { ProblemError } from '../http/problem.js';
import { homeCommune, type Principal } from '../platform/principal.js';
import { Streams } from '../platform/streams.js';
import { type Clock, CLOCK, PG_POOL } from '../platform/tokens.js';
import { Vault } from '../vault/vault.js';
import { Census } from './census.js';
import { DocumentDigests } from './document-digests.js';

export interface IdentityConflict {
  id: string;
  holderId: string;
  claimantId: string;
  communeId: string;
  agentId: string;
  attemptedAt: string;
}

/**
 * A commune agent checks a resident's identity document. The number is kept only as an HMAC under
 * a key of that commune, so the same document cannot verify two citizens, and a copy of the
 * database does not give the numbers.
 */
@Injectable()
export class InPersonVerification {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly streams: Streams,
    private readonly digests: DocumentDigests,
    private readonly census: Census,
    private readonly vault: Vault,
  ) {}

  async verify(principal: Principal, citizenId: string, input: { documentNumber: string; quartierId: string | null; birthDate: string | null }, ids: { commandId: string; correlationId: string }) {
    const communeId = homeCommune(principal);
    if (communeId === null) throw new ProblemError(403, 'citizen.commune_required', 'An identity check is made by an agent of one commune; national accounts cannot make one.');
    if (input.quartierId !== null) {
      const { rowCount } = await this.pool.query('SELECT 1 FROM reference.quartiers WHERE id = $1 AND commune_id = $2', [input.quartierId, communeId]);
      if (!rowCount) throw new ProblemError(400, 'citizen.unknown_quartier', `There is no quartier ${input.quartierId} in ${communeId}.`, [{ path: 'body.quartierId', message: 'not a quartier of your commune' }]);
    }
    const now = this.clock();
    if (input.birthDate !== null && (input.birthDate > now.toISOString().slice(0, 10) || input.birthDate < '1900-01-01')) {
      throw new ProblemError(400, 'citizen.bad_birth_date', `A date of birth between 1900-01-01 and today, not ${input.birthDate}.`, [{ path: 'body.birthDate', message: 'not a possible date of birth' }]);
    }
    const documentDigest = this.digests.of(communeId, input.documentNumber);
    // On the commune's census list: recorded with the check, and the list's quartier when the agent gives none.
    const listed = await this.census.match(communeId, documentDigest);
    const quartierId = input.quartierId ?? listed?.quartierId ?? null;
    const verified = await inTransaction(this.pool, async (client) => {
      // Two agents checking one document at once must not both succeed.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`document:${documentDigest}`]);
      const { rows } = await client.query<{ citizen_id: string }>('SELECT citizen_id FROM auth.identity_documents WHERE document_digest = $1', [documentDigest]);
      const holder = rows[0]?.citizen_id;
      if (holder !== undefined && holder !== citizenId) {
        await client.query(
          'INSERT INTO auth.identity_conflicts (document_digest, holder_id, claimant_id, commune_id, agent_id, attempted_at) VALUES ($1, $2, $3, $4, $5, $6)',
          [documentDigest, holder, citizenId, communeId, principal.id, now],
        );
        return null;
      }
      const outcome = await this.streams.execute(citizenDecider, principal, {
        name: 'VerifyInPerson',
        id: citizenId,
        ...ids,
        build: (meta) => ({ type: 'VerifyInPerson' as const, data: { citizenId, documentDigest, communeId, quartierId, censusMatch: listed !== null }, meta }),
        communeOf: () => communeId,
      });
      await client.query('INSERT INTO auth.identity_documents (document_digest, citizen_id, commune_id, verified_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [documentDigest, citizenId, communeId, now]);
      return outcome.state;
    });
    // The conflict row is committed first: the refusal is listed for an admin even though nothing is appended.
    if (verified === null) throw new ProblemError(409, 'citizen.document_in_use', 'This document already verifies another resident. The attempt is listed for an admin.');
    // Personal data: in the vault under the citizen, forgotten with them; the log only knows the check happened.
    if (input.birthDate !== null) await this.vault.storeBirthDate(citizenId, input.birthDate);
    return { id: citizenId, level: levelOf(verified), censusMatch: listed !== null };
  }

  /**
   * An admin withdraws a resident's in-person check (the document turned out to be someone else's):
   * the resident falls back to their other level, and the document is free to verify its holder.
   */
  async revoke(principal: Principal, citizenId: string, reason: string, ids: { commandId: string; correlationId: string }) {
    const revoked = await inTransaction(this.pool, async (client) => {
      const outcome = await this.streams.execute(citizenDecider, principal, {
        name: 'RevokeInPersonVerification',
        id: citizenId,
        ...ids,
        admit: (loaded) => {
          if (loaded.revision < 0) throw new ProblemError(404, 'citizen.not_found', `No citizen ${citizenId}.`);
        },
        build: (meta) => ({ type: 'RevokeInPersonVerification' as const, data: { citizenId, reason }, meta }),
        communeOf: (state) => state.inPerson?.communeId ?? null,
      });
      await client.query('DELETE FROM auth.identity_documents WHERE citizen_id = $1', [citizenId]);
      return outcome.state;
    });
    return { id: citizenId, level: levelOf(revoked) };
  }

  /** Documents shown for a second citizen, newest first, for an admin of the commune (or national). */
  async conflicts(principal: Principal): Promise<IdentityConflict[]> {
    const { rows } = await this.pool.query<{ id: string; holder_id: string; claimant_id: string; commune_id: string; agent_id: string; attempted_at: Date }>(
      `SELECT id, holder_id, claimant_id, commune_id, agent_id, attempted_at FROM auth.identity_conflicts
        WHERE $1::text[] IS NULL OR commune_id = ANY($1) ORDER BY attempted_at DESC LIMIT 500`,
      [principal.communes === '*' ? null : [...principal.communes]],
    );
    return rows.map((r) => ({ id: r.id, holderId: r.holder_id, claimantId: r.claimant_id, communeId: r.commune_id, agentId: r.agent_id, attemptedAt: r.attempted_at.toISOString() }));
  }

}
