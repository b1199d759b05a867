import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  type BallotCast,
  type Consultation,
  evolveConsultation,
  initialConsultation,
  parseBallotEvent,
  parseConsultationEvent,
  receiptCode,
  tally,
} from '@palabre/domain';
import { formatPosition, type RecordedEvent } from '@palabre/event-store';
import { copyColumns, insertRows } from '../copy.js';
import type { ProjectedBatch, ProjectedChange, Projector } from '../projector.js';
import { ProjectionError } from '../projector.js';

/** A ballot's receipt: 10 Crockford characters of the SHA-256 of its event id. The API and the offline verifier derive the same. */
export const ballotReceipt = (eventId: string): string => receiptCode(createHash('sha256').update(eventId, 'utf8').digest());

const CONSULTATION_STREAM = 'consultation-';
const BALLOT_STREAM = 'ballots-';

const BALLOT_COLUMNS = copyColumns(
  'event_id text, receipt text, consultation_id text, ballot_id text, pseudonym text, quartier_id text, channel text, answers json, cast_at timestamptz, log_commit bigint, log_prepare bigint',
);

interface StoredConsultation {
  id: string;
  state: Consultation;
  revision: number;
  closed_commit: string | null;
  closed_prepare: string | null;
}

/**
 * `consultations` (each folded with the domain's own evolve), `consultation_ballots` (every ballot
 * event, by pseudonym, with its receipt) and `consultation_results` (the domain's `tally` over a
 * consultation's ballots in log order, computed again whenever a batch touches it: the same rules
 * the offline recount applies, so the two cannot drift).
 */
export const consultationsProjector: Projector = {
  name: 'consultations',
  tables: ['consultations', 'consultation_ballots', 'consultation_results'],
  async handle(client: pg.ClientBase, events): Promise<ProjectedBatch> {
    const lifecycle = new Map<string, RecordedEvent[]>();
    const ballots: Record<string, unknown>[] = [];
    for (const recorded of events) {
      if (recorded.streamId.startsWith(CONSULTATION_STREAM)) {
        const id = recorded.streamId.slice(CONSULTATION_STREAM.length);
        const group = lifecycle.get(id);
        if (group) group.push(recorded);
        else lifecycle.set(id, [recorded]);
      } else if (recorded.streamId.startsWith(BALLOT_STREAM)) {
        ballots.push(ballotRow(recorded));
      }
    }
    if (lifecycle.size === 0 && ballots.length === 0) return { changes: [] };

    const touched = new Set<string>([...lifecycle.keys(), ...ballots.map((b) => b.consultation_id as string)]);
    const { rows } = await client.query<StoredConsultation>('SELECT id, state, revision, closed_commit::text, closed_prepare::text FROM consultations WHERE id = ANY($1::text[])', [[...touched]]);
    const stored = new Map(rows.map((r) => [r.id, r]));
    const updated: StoredConsultation[] = [];
    for (const [id, group] of lifecycle) {
      const before = stored.get(id);
      let state = before?.state ?? initialConsultation();
      let revision = before?.revision ?? -1;
      let closed = before ? { commit: before.closed_commit, prepare: before.closed_prepare } : { commit: null, prepare: null };
      for (const recorded of group) {
        if (recorded.revision !== revision + 1) {
          throw new ProjectionError(`Consultation ${id}: expected revision ${revision + 1}, got ${recorded.revision} (${recorded.type})`);
        }
        state = evolveConsultation(state, parseConsultationEvent({ type: recorded.type, data: recorded.data, schemaVersion: recorded.metadata.schemaVersion }));
        revision = recorded.revision;
        if (recorded.type === 'ConsultationClosed') closed = { commit: recorded.position.commit.toString(), prepare: recorded.position.prepare.toString() };
      }
      const row = { id, state, revision, closed_commit: closed.commit, closed_prepare: closed.prepare };
      stored.set(id, row);
      updated.push(row);
    }
    if (updated.length > 0) await upsertConsultations(client, updated, events.at(-1)!.metadata.recordedAt);
    await insertRows(client, 'consultation_ballots', BALLOT_COLUMNS, ballots);

    const position = formatPosition(events.at(-1)!.position);
    const changes: ProjectedChange[] = [];
    for (const id of touched) {
      const consultation = stored.get(id);
      // A ballot never precedes its consultation in the log: the API loads the consultation to decide it.
      if (!consultation?.state.content) throw new ProjectionError(`Ballots for consultation ${id}, which the log has not drafted`);
      await writeResults(client, consultation, position);
      changes.push({ kind: 'consultation', id, communeId: consultation.state.communeId, revision: consultation.revision });
    }
    return { changes };
  },
};

function ballotRow(recorded: RecordedEvent): Record<string, unknown> {
  const { data } = parseBallotEvent({ type: recorded.type, data: recorded.data, schemaVersion: recorded.metadata.schemaVersion });
  return {
    event_id: recorded.metadata.eventId,
    receipt: ballotReceipt(recorded.metadata.eventId),
    consultation_id: data.consultationId,
    ballot_id: data.ballotId,
    pseudonym: data.pseudonym,
    quartier_id: data.quartierId,
    channel: data.channel,
    answers: data.answers,
    cast_at: data.castAt,
    log_commit: recorded.position.commit.toString(),
    log_prepare: recorded.position.prepare.toString(),
  };
}

async function upsertConsultations(client: pg.ClientBase, rows: readonly StoredConsultation[], at: string): Promise<void> {
  const values = rows.map(({ id, state, revision, closed_commit, closed_prepare }) => {
    const content = state.content!;
    return {
      id,
      commune_id: state.communeId,
      status: state.status,
      title_fr: content.title.fr,
      title_en: content.title.en,
      quartier_ids: content.quartierIds,
      required_level: content.requiredLevel,
      opens_at: content.opensAt,
      closes_at: content.closesAt,
      results_visibility: content.resultsVisibility,
      revision,
      closed_commit,
      closed_prepare,
      state,
      updated_at: at,
    };
  });
  await client.query(
    `INSERT INTO consultations (id, commune_id, status, title_fr, title_en, quartier_ids, required_level, opens_at, closes_at, results_visibility, revision, closed_commit, closed_prepare, state, updated_at)
     SELECT id, commune_id, status, title_fr, title_en, quartier_ids, required_level, opens_at, closes_at, results_visibility, revision, closed_commit, closed_prepare, state, updated_at
     FROM json_to_recordset($1::json) AS r(id text, commune_id text, status text, title_fr text, title_en text, quartier_ids text[], required_level text,
       opens_at timestamptz, closes_at timestamptz, results_visibility text, revision integer, closed_commit bigint, closed_prepare bigint, state json, updated_at timestamptz)
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, title_fr = EXCLUDED.title_fr, title_en = EXCLUDED.title_en, quartier_ids = EXCLUDED.quartier_ids,
       required_level = EXCLUDED.required_level, opens_at = EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at, results_visibility = EXCLUDED.results_visibility,
       revision = EXCLUDED.revision, closed_commit = EXCLUDED.closed_commit, closed_prepare = EXCLUDED.closed_prepare, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
    [JSON.stringify(values)],
  );
}

/** The consultation's tally over every ballot projected so far before its close, in log order. */
async function writeResults(client: pg.ClientBase, { id, state: consultation, closed_commit, closed_prepare }: StoredConsultation, position: string): Promise<void> {
  const { rows } = await client.query<{ ballot_id: string; pseudonym: string; quartier_id: string | null; channel: 'online' | 'paper'; answers: BallotCast['answers'] }>(
    `SELECT ballot_id, pseudonym, quartier_id, channel, answers FROM consultation_ballots
     WHERE consultation_id = $1 AND ($2::bigint IS NULL OR (log_commit, log_prepare) < ($2::bigint, $3::bigint))
     ORDER BY log_commit, log_prepare`,
    [id, closed_commit, closed_prepare],
  );
  const ballots = rows.map((r) => ({ ballotId: r.ballot_id, pseudonym: r.pseudonym, quartierId: r.quartier_id, channel: r.channel, answers: r.answers }) as BallotCast);
  const results = tally(consultation.content!.questions, ballots);
  await client.query(
    `INSERT INTO consultation_results (consultation_id, results, ballots, position, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (consultation_id) DO UPDATE SET results = EXCLUDED.results, ballots = EXCLUDED.ballots, position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
    [id, JSON.stringify(results), ballots.length, position],
  );
}
