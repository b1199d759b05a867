import type pg from 'pg';
import { evolveProposal, initialProposal, parseProposalEvent, parseSupportEvent, type Proposal } from '@palabre/domain';
import type { RecordedEvent } from '@palabre/event-store';
import type { ProjectedBatch, ProjectedChange, Projector } from '../projector.js';
import { ProjectionError } from '../projector.js';

const PROPOSAL_STREAM = 'proposal-';
const SUPPORT_STREAM = 'support-';
/** The threshold of a proposal folded before proposals carried their rules (the one default policy then). */
const V1_THRESHOLD = 100;

interface Stored {
  id: string;
  state: Proposal;
  revision: number;
  submitted_at: string;
  answered_at: string | null;
  first_answered_at: string | null;
  answer_text: unknown;
  answer_cost: number | null;
  hidden: { by: string; reason: string; at: string } | null;
}

/**
 * `proposals` (each folded with the domain's own evolve) and `proposal_supports` (one row per
 * citizen and proposal). After a batch, each touched proposal's count is the distinct citizens who
 * support it or a proposal merged into it, and the moment it first reached the threshold is kept.
 */
export const proposalsProjector: Projector = {
  name: 'proposals',
  tables: ['proposals', 'proposal_supports'],
  reads: (streamId) => streamId.startsWith(PROPOSAL_STREAM) || streamId.startsWith(SUPPORT_STREAM),
  async handle(client: pg.ClientBase, events): Promise<ProjectedBatch> {
    const mine = events.filter((e) => e.streamId.startsWith(PROPOSAL_STREAM) || e.streamId.startsWith(SUPPORT_STREAM));
    if (mine.length === 0) return { changes: [] };
    const proposalIds = new Set<string>();
    for (const e of mine) if (e.streamId.startsWith(PROPOSAL_STREAM)) proposalIds.add(e.streamId.slice(PROPOSAL_STREAM.length));
    const stored = new Map(
      (await client.query<Stored>('SELECT id, state, revision, submitted_at, answered_at, first_answered_at, answer_text, answer_cost, hidden FROM proposals WHERE id = ANY($1::text[])', [[...proposalIds]])).rows.map((r) => [r.id, r]),
    );
    const supports: { proposal_id: string; citizen_id: string; active: boolean; at: string }[] = [];
    const lastSupportAt = new Map<string, string>();
    const changed = new Set<string>();
    for (const recorded of mine) {
      if (recorded.streamId.startsWith(SUPPORT_STREAM)) {
        const event = parseSupportEvent(raw(recorded));
        const at = event.type === 'SupportGiven' ? event.data.supportedAt : event.data.withdrawnAt;
        supports.push({ proposal_id: event.data.proposalId, citizen_id: event.data.citizenId, active: event.type === 'SupportGiven', at });
        lastSupportAt.set(event.data.proposalId, recorded.metadata.recordedAt);
        continue;
      }
      const id = recorded.streamId.slice(PROPOSAL_STREAM.length);
      const before = stored.get(id) ?? { id, state: initialProposal(), revision: -1, submitted_at: recorded.metadata.recordedAt, answered_at: null, first_answered_at: null, answer_text: null, answer_cost: null, hidden: null };
      if (recorded.revision !== before.revision + 1) throw new ProjectionError(`Proposal ${id}: expected revision ${before.revision + 1}, got ${recorded.revision} (${recorded.type})`);
      const event = parseProposalEvent(raw(recorded));
      const next: Stored = { ...before, state: evolveProposal(before.state, event), revision: recorded.revision };
      if (event.type === 'ProposalSubmitted') next.submitted_at = event.data.submittedAt;
      if (event.type === 'ProposalAnswered') {
        next.answered_at = event.data.answeredAt;
        next.first_answered_at = before.first_answered_at ?? event.data.answeredAt;
        next.answer_text = event.data.text;
        next.answer_cost = event.data.cost;
      }
      if (event.type === 'ProposalHidden') next.hidden = { by: event.data.by, reason: event.data.reason, at: event.data.hiddenAt };
      if (event.type === 'ProposalRestored') next.hidden = null;
      stored.set(id, next);
      changed.add(id);
    }
    if (changed.size > 0) await upsertProposals(client, [...changed].map((id) => stored.get(id)!));
    if (supports.length > 0) {
      await client.query(
        `INSERT INTO proposal_supports (proposal_id, citizen_id, active, supported_at)
         SELECT proposal_id, citizen_id, active, at FROM json_to_recordset($1::json) AS r(proposal_id text, citizen_id text, active boolean, at timestamptz)
         ON CONFLICT (proposal_id, citizen_id) DO UPDATE SET active = EXCLUDED.active, supported_at = EXCLUDED.supported_at`,
        [JSON.stringify(supports)],
      );
    }
    // Counts: the touched proposals and what they were merged into (each citizen once).
    const touched = new Set([...changed, ...lastSupportAt.keys()]);
    const { rows } = await client.query<{ id: string; commune_id: string; revision: number }>(
      `WITH targets AS (
         SELECT DISTINCT coalesce(p.merged_into, p.id) AS id FROM proposals p WHERE p.id = ANY($1::text[])
         UNION SELECT p.id FROM proposals p WHERE p.id = ANY($1::text[])
       ), counted AS (
         SELECT t.id, (SELECT count(DISTINCT s.citizen_id) FROM proposal_supports s JOIN proposals m ON m.id = s.proposal_id
                       WHERE s.active AND (m.id = t.id OR m.merged_into = t.id))::integer AS n
         FROM targets t
       )
       UPDATE proposals p SET supports = c.n,
         threshold_reached_at = CASE WHEN p.threshold_reached_at IS NULL AND c.n >= coalesce((p.state->'rules'->>'supportThreshold')::integer, $2) THEN $3::timestamptz ELSE p.threshold_reached_at END
       FROM counted c WHERE p.id = c.id
       RETURNING p.id, p.commune_id, p.revision`,
      [[...touched], V1_THRESHOLD, mine.at(-1)!.metadata.recordedAt],
    );
    const changes: ProjectedChange[] = rows.map((r) => ({ kind: 'proposal', id: r.id, communeId: r.commune_id, revision: r.revision }));
    return { changes };
  },
};

const raw = (recorded: RecordedEvent) => ({ type: recorded.type, data: recorded.data, schemaVersion: recorded.metadata.schemaVersion });

async function upsertProposals(client: pg.ClientBase, rows: readonly Stored[]): Promise<void> {
  const values = rows.map((r) => {
    const { state } = r;
    const content = state.content!;
    const author = state.author!;
    return {
      id: r.id,
      commune_id: state.communeId,
      status: state.status,
      title: content.title,
      description: content.description,
      category: content.category,
      quartier_id: content.quartierId,
      lat: content.location?.lat ?? null,
      lon: content.location?.lon ?? null,
      media_ids: content.mediaIds,
      author_kind: author.kind,
      author_citizen_id: author.kind === 'citizen' ? author.citizenId : null,
      author_group: author.kind === 'group' ? author.name : null,
      cost_estimate: content.costEstimate,
      answer_state: state.answer?.state ?? null,
      answer_text: r.answer_text,
      answer_cost: r.answer_cost,
      answered_at: r.answered_at,
      first_answered_at: r.first_answered_at,
      merged_into: state.mergedInto,
      flags: state.flaggedBy.length,
      hidden: r.hidden,
      submitted_at: r.submitted_at,
      revision: r.revision,
      state,
    };
  });
  await client.query(
    `INSERT INTO proposals (id, commune_id, status, title, description, category, quartier_id, lat, lon, media_ids, author_kind, author_citizen_id, author_group,
       cost_estimate, answer_state, answer_text, answer_cost, answered_at, first_answered_at, merged_into, flags, hidden, supports, submitted_at, revision, state, updated_at)
     SELECT id, commune_id, status, title, description, category, quartier_id, lat, lon, media_ids, author_kind, author_citizen_id, author_group,
       cost_estimate, answer_state, answer_text, answer_cost, answered_at, first_answered_at, merged_into, flags, hidden, 0, submitted_at, revision, state, now()
     FROM json_to_recordset($1::json) AS r(id text, commune_id text, status text, title text, description text, category text, quartier_id text, lat double precision,
       lon double precision, media_ids text[], author_kind text, author_citizen_id text, author_group text, cost_estimate bigint, answer_state text, answer_text json,
       answer_cost bigint, answered_at timestamptz, first_answered_at timestamptz, merged_into text, flags integer, hidden json, submitted_at timestamptz, revision integer, state json)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, title = EXCLUDED.title, description = EXCLUDED.description, category = EXCLUDED.category,
       quartier_id = EXCLUDED.quartier_id, lat = EXCLUDED.lat, lon = EXCLUDED.lon, media_ids = EXCLUDED.media_ids, cost_estimate = EXCLUDED.cost_estimate,
       answer_state = EXCLUDED.answer_state, answer_text = EXCLUDED.answer_text, answer_cost = EXCLUDED.answer_cost, answered_at = EXCLUDED.answered_at,
       first_answered_at = EXCLUDED.first_answered_at, merged_into = EXCLUDED.merged_into, flags = EXCLUDED.flags, hidden = EXCLUDED.hidden, revision = EXCLUDED.revision,
       state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
    [JSON.stringify(values)],
  );
}
