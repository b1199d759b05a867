import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { applySqlFile, inTransaction } from '@palabre/event-store';
import { type Category, type Commune, type ProposalPolicy, proposalPolicyOf, type ReferenceData, referenceProblems, type Team } from '@palabre/domain';
import { PG_POOL } from '../platform/tokens.js';

export const ensureReferenceSchema = (pool: pg.Pool): Promise<void> => applySqlFile(pool, import.meta.url, 'reference/schema.sql', 'palabre.reference.schema');

/** Writes reference data (idempotent upserts); refuses inconsistent data with every problem listed. */
export async function saveReference(pool: pg.Pool, reference: ReferenceData): Promise<void> {
  const problems = referenceProblems(reference);
  if (problems.length > 0) throw new Error(`Reference data refused:\n  ${problems.join('\n  ')}`);
  await inTransaction(pool, async (client) => {
    for (const c of reference.communes) {
      await client.query(
        `INSERT INTO reference.communes (id, name, division, boundary, proposal_policy) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, division = EXCLUDED.division, boundary = EXCLUDED.boundary, proposal_policy = EXCLUDED.proposal_policy`,
        [c.id, c.name, c.division, JSON.stringify(c.boundary), c.proposalPolicy ? JSON.stringify(c.proposalPolicy) : null],
      );
      for (const q of c.quartiers) {
        await client.query(
          `INSERT INTO reference.quartiers (id, commune_id, name, boundary) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET commune_id = EXCLUDED.commune_id, name = EXCLUDED.name, boundary = EXCLUDED.boundary`,
          [q.id, c.id, q.name, JSON.stringify(q.boundary)],
        );
      }
    }
    for (const [sort, cat] of reference.categories.entries()) {
      await client.query(
        `INSERT INTO reference.categories (id, labels, icon, subcategories, sort) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET labels = EXCLUDED.labels, icon = EXCLUDED.icon, subcategories = EXCLUDED.subcategories, sort = EXCLUDED.sort`,
        [cat.id, JSON.stringify(cat.labels), cat.icon, JSON.stringify(cat.subcategories), sort],
      );
    }
    for (const t of reference.teams) {
      await client.query(
        `INSERT INTO reference.teams (id, commune_id, name, categories) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET commune_id = EXCLUDED.commune_id, name = EXCLUDED.name, categories = EXCLUDED.categories`,
        [t.id, t.communeId, t.name, t.categories],
      );
    }
  });
}

export async function loadReference(pool: pg.Pool): Promise<ReferenceData & { timeZones: ReadonlyMap<string, string> }> {
  const [communes, quartiers, categories, teams] = await Promise.all([
    pool.query('SELECT id, name, division, time_zone, boundary, proposal_policy FROM reference.communes ORDER BY name'),
    pool.query('SELECT id, commune_id, name, boundary FROM reference.quartiers ORDER BY name'),
    pool.query('SELECT id, labels, icon, subcategories FROM reference.categories ORDER BY sort'),
    pool.query('SELECT id, commune_id, name, categories FROM reference.teams ORDER BY id'),
  ]);
  return {
    communes: communes.rows.map(
      (c): Commune => ({
        id: c.id,
        name: c.name,
        division: c.division,
        boundary: c.boundary,
        ...(c.proposal_policy ? { proposalPolicy: c.proposal_policy } : {}),
        quartiers: quartiers.rows.filter((q) => q.commune_id === c.id).map((q) => ({ id: q.id, communeId: q.commune_id, name: q.name, boundary: q.boundary })),
      }),
    ),
    categories: categories.rows.map((c): Category => ({ id: c.id, labels: c.labels, icon: c.icon, subcategories: c.subcategories })),
    teams: teams.rows.map((t): Team => ({ id: t.id, communeId: t.commune_id, name: t.name, categories: t.categories })),
    timeZones: new Map(communes.rows.map((c) => [c.id as string, c.time_zone as string])),
  };
}

/** Reference data held in memory for routing and validation; `refresh()` after an admin edits it. */
@Injectable()
export class ReferenceCatalog {
  private data: ReferenceData = { communes: [], teams: [], categories: [] };

  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async refresh(): Promise<void> {
    this.data = await loadReference(this.pool);
  }

  routingReference(): ReferenceData {
    return this.data;
  }

  communes(): readonly Commune[] {
    return this.data.communes;
  }

  categories(): readonly Category[] {
    return this.data.categories;
  }

  teams(communeId?: string): readonly Team[] {
    return communeId === undefined ? this.data.teams : this.data.teams.filter((t) => t.communeId === communeId);
  }

  /** The proposal policy a commune runs (its settings over the default; the default for one unknown). */
  proposalPolicy(communeId: string | null): ProposalPolicy {
    return proposalPolicyOf(this.data.communes.find((c) => c.id === communeId)?.proposalPolicy);
  }

  async category(id: string): Promise<Category | undefined> {
    return this.data.categories.find((c) => c.id === id);
  }
}
