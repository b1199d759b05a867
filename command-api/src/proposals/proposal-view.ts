import type pg from 'pg';
import { answerDeadline, type ProposalRules } from '@palabre/domain';
import { mediaUrls } from '../media/media-library.js';

/** A proposal projected before proposals carried their rules ran the one default policy then. */
const V1_RULES: ProposalRules = { supportThreshold: 100, answerDays: 30 };

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
  flags: number;
  hidden: { by: string; reason: string; at: string } | null;
  author_citizen_id: string | null;
  state: { flaggedBy: string[]; flagsSinceReview: number; rules?: ProposalRules | null };
}

/**
 * Who reads, as far as a proposal's view shows it: its commune's staff see why it is hidden and how
 * many flags it has; a resident sees whether they wrote it, support it or flagged it (never who else did).
 */
export type Reader = { readonly kind: 'staff'; readonly communes: readonly string[] | '*' } | { readonly kind: 'citizen'; readonly id: string; readonly supporting: ReadonlySet<string> } | null;

export function view(r: ProposalRow, reader: Reader = null) {
  const rules = r.state.rules ?? V1_RULES;
  const deadline = answerDeadline(rules, r.threshold_reached_at?.toISOString() ?? null, r.first_answered_at?.toISOString() ?? null, new Date().toISOString());
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
    supportThreshold: rules.supportThreshold,
    answer: r.answer_state === null ? null : { state: r.answer_state, text: r.answer_text ?? {}, cost: r.answer_cost === null ? null : Number(r.answer_cost), answeredAt: r.answered_at!.toISOString() },
    answerBy: deadline.answerBy,
    answerLate: deadline.breached,
    mergedInto: r.merged_into,
    submittedAt: r.submitted_at.toISOString(),
    revision: r.revision,
    ...(reader?.kind === 'staff' && (reader.communes === '*' || reader.communes.includes(r.commune_id))
      ? { flags: r.state.flagsSinceReview, flagsTotal: r.flags, hidden: r.hidden }
      : {}),
    viewer:
      reader?.kind === 'citizen'
        ? { author: r.author_citizen_id === reader.id, supporting: reader.supporting.has(r.id), flagged: r.state.flaggedBy.includes(reader.id) }
        : null,
  };
}

/** The proposals among `ids` that a citizen supports today (an active support of their own). */
export async function supportedBy(pool: pg.Pool, citizenId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await pool.query<{ proposal_id: string }>('SELECT proposal_id FROM read.proposal_supports WHERE citizen_id = $1 AND active AND proposal_id = ANY($2::text[])', [citizenId, ids]);
  return new Set(rows.map((r) => r.proposal_id));
}

/** The proposals' public views, from the read side (a hidden one is not among them). */
export async function proposalViews(pool: pg.Pool, ids: readonly string[]): Promise<ReturnType<typeof view>[]> {
  const { rows } = await pool.query<ProposalRow>("SELECT * FROM read.proposals WHERE id = ANY($1::text[]) AND status <> 'hidden'", [ids]);
  return rows.map((r) => view(r));
}
