import type pg from 'pg';
import type { CommitteeRole } from '@palabre/domain';
import { mediaUrls } from '../media/media-library.js';
import type { Vault } from '../vault/index.js';

export interface ProjectRow {
  id: string;
  commune_id: string;
  status: 'active' | 'suspended' | 'completed';
  title: string;
  description: string | null;
  proposal_ids: string[];
  programme: { stages: string[] };
  currency: 'XAF' | 'XOF';
  stage: string | null;
  percent: number;
  planned: string | null;
  committed: string | null;
  spent: string | null;
  budget_reason: string | null;
  revision: number;
  state: { committee?: { role: CommitteeRole; subjectId: string }[] };
}

export interface MilestoneRow {
  milestone_id: string;
  title: string;
  note: string | null;
  reached_on: string;
  evidence: { mediaId: string; point: { lat: number; lon: number } | null }[];
  recorded_at: Date;
}

export const summary = (r: ProjectRow) => ({
  id: r.id,
  communeId: r.commune_id,
  status: r.status,
  title: r.title,
  description: r.description,
  proposalIds: r.proposal_ids,
  currency: r.currency,
  stage: r.stage,
  percent: r.percent,
  budget: r.planned === null ? null : { planned: Number(r.planned), committed: Number(r.committed), spent: Number(r.spent), reason: r.budget_reason },
  revision: r.revision,
});

/** Projects as everyone follows them: stage by stage, progress, budget, milestones with their photos and where each was taken. */
export async function projectViews(pool: pg.Pool, ids: readonly string[]) {
  const [projects, stages, milestones] = await Promise.all([
    pool.query<ProjectRow>('SELECT * FROM read.projects WHERE id = ANY($1::text[])', [ids]),
    pool.query<{ project_id: string; stage: string; entered_at: Date }>('SELECT project_id, stage, entered_at FROM read.project_stages WHERE project_id = ANY($1::text[])', [ids]),
    pool.query<MilestoneRow & { project_id: string }>(
      'SELECT project_id, milestone_id, title, note, reached_on::text, evidence, recorded_at FROM read.project_milestones WHERE project_id = ANY($1::text[]) ORDER BY reached_on, recorded_at',
      [ids],
    ),
  ]);
  return projects.rows.map((row) => {
    const entered = new Map(stages.rows.filter((s) => s.project_id === row.id).map((s) => [s.stage, s.entered_at.toISOString()]));
    return {
      ...summary(row),
      stages: row.programme.stages.map((stage) => ({ stage, enteredAt: entered.get(stage) ?? null })),
      committee: (row.state.committee ?? []).map((m) => ({ role: m.role })) as { role: CommitteeRole; name?: string | null; phone?: string | null; erased?: boolean }[],
      milestones: milestones.rows
        .filter((m) => m.project_id === row.id)
        .map((m) => ({
          id: m.milestone_id,
          title: m.title,
          note: m.note,
          reachedOn: m.reached_on,
          media: m.evidence.map((e) => ({ id: e.mediaId, ...mediaUrls(e.mediaId), point: e.point })),
          recordedAt: m.recorded_at.toISOString(),
        })),
    };
  });
}

/** Who sits on a project's committee, for its commune's staff: each role with the vault's record of them. */
export async function committeeOf(pool: pg.Pool, vault: Vault, id: string) {
  const { rows } = await pool.query<Pick<ProjectRow, 'state'>>('SELECT state FROM read.projects WHERE id = $1', [id]);
  return Promise.all(
    (rows[0]?.state.committee ?? []).map(async (m) => {
      const contact = await vault.readContact(m.subjectId);
      if (contact && 'erased' in contact) return { role: m.role, name: null, phone: null, erased: true };
      return { role: m.role, name: contact?.name ?? null, phone: contact?.phone ?? null };
    }),
  );
}
