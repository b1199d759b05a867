import type pg from 'pg';
import { evolveProject, initialProject, parseProjectEvent, type Project } from '@palabre/domain';
import type { ProjectedBatch, Projector } from '../projector.js';
import { ProjectionError } from '../projector.js';

const PROJECT_STREAM = 'project-';

interface Stored {
  id: string;
  state: Project;
  revision: number;
  title: string;
  description: string | null;
  proposal_ids: string[];
  created_at: string;
  budget_reason: string | null;
}

/** `projects` (each folded with the domain's own evolve), `project_stages` and `project_milestones`. */
export const projectsProjector: Projector = {
  name: 'projects',
  tables: ['projects', 'project_stages', 'project_milestones'],
  reads: (streamId) => streamId.startsWith(PROJECT_STREAM),
  async handle(client: pg.ClientBase, events): Promise<ProjectedBatch> {
    const mine = events.filter((e) => e.streamId.startsWith(PROJECT_STREAM));
    if (mine.length === 0) return { changes: [] };
    const ids = [...new Set(mine.map((e) => e.streamId.slice(PROJECT_STREAM.length)))];
    const stored = new Map(
      (await client.query<Stored>('SELECT id, state, revision, title, description, proposal_ids, created_at, budget_reason FROM projects WHERE id = ANY($1::text[])', [ids])).rows.map((r) => [r.id, r]),
    );
    const stages: { project_id: string; stage: string; entered_at: string }[] = [];
    const milestones: Record<string, unknown>[] = [];
    for (const recorded of mine) {
      const id = recorded.streamId.slice(PROJECT_STREAM.length);
      const before = stored.get(id) ?? { id, state: initialProject(), revision: -1, title: '', description: null, proposal_ids: [], created_at: recorded.metadata.recordedAt, budget_reason: null };
      if (recorded.revision !== before.revision + 1) throw new ProjectionError(`Project ${id}: expected revision ${before.revision + 1}, got ${recorded.revision} (${recorded.type})`);
      const event = parseProjectEvent({ type: recorded.type, data: recorded.data, schemaVersion: recorded.metadata.schemaVersion });
      const next: Stored = { ...before, state: evolveProject(before.state, event), revision: recorded.revision };
      if (event.type === 'ProjectCreated') Object.assign(next, { title: event.data.title, description: event.data.description, proposal_ids: event.data.proposalIds, created_at: event.data.createdAt });
      if (event.type === 'BudgetReported') next.budget_reason = event.data.reason;
      if (event.type === 'StageEntered') stages.push({ project_id: id, stage: event.data.stage, entered_at: event.data.enteredAt });
      if (event.type === 'MilestoneReached') {
        const { milestoneId, title, note, reachedOn, evidence, recordedAt } = event.data;
        milestones.push({ project_id: id, milestone_id: milestoneId, title, note, reached_on: reachedOn, evidence, recorded_at: recordedAt });
      }
      stored.set(id, next);
    }
    const rows = ids.map((id) => {
      const r = stored.get(id)!;
      const { state } = r;
      return {
        id,
        commune_id: state.communeId,
        status: state.status,
        title: r.title,
        description: r.description,
        proposal_ids: r.proposal_ids,
        programme: state.programme,
        currency: state.currency,
        stage: state.stage,
        percent: state.percent,
        planned: state.budget?.planned ?? null,
        committed: state.budget?.committed ?? null,
        spent: state.budget?.spent ?? null,
        budget_reason: r.budget_reason,
        created_at: r.created_at,
        revision: r.revision,
        state,
      };
    });
    await client.query(
      `INSERT INTO projects (id, commune_id, status, title, description, proposal_ids, programme, currency, stage, percent, planned, committed, spent, budget_reason, created_at, revision, state, updated_at)
       SELECT id, commune_id, status, title, description, proposal_ids, programme, currency, stage, percent, planned, committed, spent, budget_reason, created_at, revision, state, now()
       FROM json_to_recordset($1::json) AS r(id text, commune_id text, status text, title text, description text, proposal_ids text[], programme json, currency text, stage text,
         percent integer, planned bigint, committed bigint, spent bigint, budget_reason text, created_at timestamptz, revision integer, state json)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, stage = EXCLUDED.stage, percent = EXCLUDED.percent, planned = EXCLUDED.planned, committed = EXCLUDED.committed,
         spent = EXCLUDED.spent, budget_reason = EXCLUDED.budget_reason, revision = EXCLUDED.revision, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(rows)],
    );
    if (stages.length > 0) {
      await client.query(
        `INSERT INTO project_stages (project_id, stage, entered_at) SELECT project_id, stage, entered_at FROM json_to_recordset($1::json) AS r(project_id text, stage text, entered_at timestamptz)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(stages)],
      );
    }
    if (milestones.length > 0) {
      await client.query(
        `INSERT INTO project_milestones (project_id, milestone_id, title, note, reached_on, evidence, recorded_at)
         SELECT project_id, milestone_id, title, note, reached_on, evidence, recorded_at
         FROM json_to_recordset($1::json) AS r(project_id text, milestone_id text, title text, note text, reached_on date, evidence json, recorded_at timestamptz)`,
        [JSON.stringify(milestones)],
      );
    }
    return { changes: rows.map((r) => ({ kind: 'project', id: r.id, communeId: r.commune_id, revision: r.revision })) };
  },
};
