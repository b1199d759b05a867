import type pg from 'pg';
import { answerDeadline, defaultProposalPolicy } from '@palabre/domain';
import { mediaUrls } from '../media/media-library.js';

const policy = defaultProposalPolicy;

export interface ProposalRow {
  id: string;
  commune_id: string;
  status: string;
  title: string;
  description: string;
  category: string;
  quartier_id: string | null;
  lat: number | null;
  lon: number | null;
  media_ids: string[];
  author_kind: 'citizen' | 'group';
  author_group: string | null;
  cost_estimate: string | null;
  answer_state: string | null;
  answer_text: { fr?: string; en?: string } | null;
  answer_cost: string | null;
  answered_at: Date | null;
  first_answered_at: Date | null;
  merged_into: string | null;
  supports: number;
  threshold_reached_at: Date | null;
  submitted_at: Date;
  revision: number;
}

export function view(r: ProposalRow) {
  const deadline = answerDeadline(policy, r.threshold_reached_at?.toISOString() ?? null, r.first_answered_at?.toISOString() ?? null, new Date().toISOString());
  return {
    id: r.id,
    communeId: r.commune_id,
    state: r.status !== 'published' ? r.status : (r.answer_state ?? 'open'),
    title: r.title,
    description: r.description,
    category: r.category,
    quartierId: r.quartier_id,
    location: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon },
    media: r.media_ids.map((m) => ({ id: m, ...mediaUrls(m) })),
    // A resident author is never named: a group is, by its own name.
    author: { kind: r.author_kind, name: r.author_group },
    costEstimate: r.cost_estimate === null ? null : Number(r.cost_estimate),
    supports: r.supports,
    answer: r.answer_state === null ? null : { state: r.answer_state, text: r.answer_text ?? {}, cost: r.answer_cost === null ? null : Number(r.answer_cost), answeredAt: r.answered_at!.toISOString() },
    answerBy: deadline.answerBy,
    answerLate: deadline.breached,
    mergedInto: r.merged_into,
    submittedAt: r.submitted_at.toISOString(),
    revision: r.revision,
  };
}

/** The proposals' public views, from the read side (a hidden one is not among them). */
export async function proposalViews(pool: pg.Pool, ids: readonly string[]): Promise<ReturnType<typeof view>[]> {
  const { rows } = await pool.query<ProposalRow>("SELECT * FROM read.proposals WHERE id = ANY($1::text[]) AND status <> 'hidden'", [ids]);
  return rows.map(view);
}
