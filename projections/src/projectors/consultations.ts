import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  type BallotCast,
  type Consultation,
  countBallot,
  emptyCounts,
  evolveConsultation,
  initialConsultation,
  parseBallotEvent,
  parseConsultationEvent,
  parsePollingTableEvent,
  receiptCode,
  resultsOf,
  type TallyCounts,
} from '@palabre/domain';
import { formatPosition, type RecordedEvent } from '@palabre/event-store';
import { copyColumns, insertRows } from '../copy.js';
import type { ProjectedBatch, ProjectedChange, Projector } from '../projector.js';
import { ProjectionError } from '../projector.js';

/** A ballot's receipt: 10 Crockford characters of the SHA-256 of its event id. The API and the offline verifier derive the same. */
export const ballotReceipt = (eventId: string): string => receiptCode(createHash('sha256').update(eventId, 'utf8').digest());

const CONSULTATION_STREAM = 'consultation-';
const BALLOT_STREAM = 'ballots-';
const POLLING_TABLE_STREAM = 'polling-table-';

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

interface Counted {
  event_id: string;
  quartier_id: string | null;
  channel: BallotCast['channel'];
  answers: BallotCast['answers'];
}

/**
 * `consultations` (each folded with the domain's own evolve), `consultation_ballots` (every ballot
 * event, by pseudonym, with its receipt), `consultation_counted` (the ballot that counts for each
 * voter) and `consultation_results` (the domain's running count and the results it gives). One pass
 * in log order: a ballot after its consultation's close is not counted, and a voter's new ballot
 * takes back their previous one, so a batch costs what its own ballots cost, however many came before.
 * The recount (`tally`) folds the same `countBallot` over every ballot: the two cannot drift.
 */
export const consultationsProjector: Projector = {
  name: 'consultations',
  tables: ['consultations', 'consultation_ballots', 'consultation_counted', 'consultation_results', 'consultation_polling_tables'],
  reads: (streamId) => streamId.startsWith(CONSULTATION_STREAM) || streamId.startsWith(BALLOT_STREAM) || streamId.startsWith(POLLING_TABLE_STREAM),
  async handle(client: pg.ClientBase, events): Promise<ProjectedBatch> {
    const sheets = events.filter((e) => e.streamId.startsWith(POLLING_TABLE_STREAM)).map((e) => parsePollingTableEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion }).data);
    const mine = events.filter((e) => e.streamId.startsWith(CONSULTATION_STREAM) || e.streamId.startsWith(BALLOT_STREAM));
    if (mine.length === 0 && sheets.length === 0) return { changes: [] };
    const ballots = new Map<RecordedEvent, BallotCast>();
    for (const recorded of mine) {
      if (recorded.streamId.startsWith(BALLOT_STREAM)) ballots.set(recorded, parseBallotEvent({ type: recorded.type, data: recorded.data, schemaVersion: recorded.metadata.schemaVersion }).data);
    }
    const touched = new Set<string>();
    for (const recorded of mine) touched.add(ballots.get(recorded)?.consultationId ?? recorded.streamId.slice(CONSULTATION_STREAM.length));
    const tables = new PollingTables();
    for (const { consultationId, pollingTableId, ...sheet } of sheets) {
      tables.at(consultationId, pollingTableId).sheets.push(sheet);
      touched.add(consultationId);
    }
    const ids = [...touched];

    const stored = new Map(
      (await client.query<StoredConsultation>('SELECT id, state, revision, closed_commit::text, closed_prepare::text FROM consultations WHERE id = ANY($1::text[])', [ids])).rows.map((r) => [r.id, r]),
    );
    const counts = new Map((await client.query<{ consultation_id: string; counts: TallyCounts }>('SELECT consultation_id, counts FROM consultation_results WHERE consultation_id = ANY($1::text[])', [ids])).rows.map((r) => [r.consultation_id, r.counts]));
    const voters = [...ballots.values()];
    const counted = new Map(
      voters.length === 0
        ? []
        : (
            await client.query<Counted & { consultation_id: string; pseudonym: string }>(
              `SELECT consultation_id, pseudonym, event_id, quartier_id, channel, answers FROM consultation_counted
               WHERE (consultation_id, pseudonym) IN (SELECT c, p FROM unnest($1::text[], $2::text[]) AS v(c, p))`,
              [voters.map((b) => b.consultationId), voters.map((b) => b.pseudonym)],
            )
          ).rows.map((r) => [voterKey(r.consultation_id, r.pseudonym), r as Counted]),
    );
    const lifecycleChanged = new Set<string>();
    const countedChanged = new Set<string>();
    const ballotRows: Record<string, unknown>[] = [];

    for (const recorded of mine) {
      const ballot = ballots.get(recorded);
      if (!ballot) {
        const id = recorded.streamId.slice(CONSULTATION_STREAM.length);
        const before = stored.get(id) ?? { id, state: initialConsultation(), revision: -1, closed_commit: null, closed_prepare: null };
        if (recorded.revision !== before.revision + 1) throw new ProjectionError(`Consultation ${id}: expected revision ${before.revision + 1}, got ${recorded.revision} (${recorded.type})`);
        const state = evolveConsultation(before.state, parseConsultationEvent({ type: recorded.type, data: recorded.data, schemaVersion: recorded.metadata.schemaVersion }));
        const closed = recorded.type === 'ConsultationClosed' ? { closed_commit: recorded.position.commit.toString(), closed_prepare: recorded.position.prepare.toString() } : {};
        stored.set(id, { ...before, state, revision: recorded.revision, ...closed });
        lifecycleChanged.add(id);
        continue;
      }
      ballotRows.push(ballotRow(recorded, ballot));
      if (ballot.pollingTableId !== null) tables.at(ballot.consultationId, ballot.pollingTableId).paperBallots++;
      const consultation = stored.get(ballot.consultationId);
      // A ballot never precedes its consultation in the log: the API loads the consultation to decide it.
      if (!consultation?.state.content) throw new ProjectionError(`A ballot for consultation ${ballot.consultationId}, which the log has not drafted`);
      // Decided just before a close by hand, appended just after it: not counted (rule 1).
      if (consultation.closed_commit !== null) continue;
      const key = voterKey(ballot.consultationId, ballot.pseudonym);
      const before = counted.get(key);
      if (before?.channel === 'paper') continue;
      let running = counts.get(ballot.consultationId);
      if (!running) counts.set(ballot.consultationId, (running = emptyCounts()));
      const questions = consultation.state.content.questions;
      if (before) countBallot(running, questions, { quartierId: before.quartier_id, channel: before.channel, answers: before.answers }, -1);
      countBallot(running, questions, ballot, 1);
      counted.set(key, { event_id: recorded.metadata.eventId, quartier_id: ballot.quartierId, channel: ballot.channel, answers: ballot.answers });
      countedChanged.add(key);
    }

    // A batch may hold only a polling table's sheet: its own events are the batch's.
    const at = events.at(-1)!.metadata.recordedAt;
    if (lifecycleChanged.size > 0) await upsertConsultations(client, [...lifecycleChanged].map((id) => stored.get(id)!), at);
    await insertRows(client, 'consultation_ballots', BALLOT_COLUMNS, ballotRows);
    if (countedChanged.size > 0) await upsertCounted(client, [...countedChanged].map((key) => ({ key, row: counted.get(key)! })));
    await tables.save(client, at);

    const position = formatPosition(events.at(-1)!.position);
    const changes: ProjectedChange[] = [];
    const newBallots = new Map<string, number>();
    for (const ballot of ballots.values()) newBallots.set(ballot.consultationId, (newBallots.get(ballot.consultationId) ?? 0) + 1);
    const results = ids.map((id) => {
      const consultation = stored.get(id)!;
      const running = counts.get(id) ?? emptyCounts();
      changes.push({ kind: 'consultation', id, communeId: consultation.state.communeId, revision: consultation.revision });
      return { consultation_id: id, counts: running, results: resultsOf(consultation.state.content!.questions, running), new_ballots: newBallots.get(id) ?? 0, position };
    });
    await client.query(
      `INSERT INTO consultation_results (consultation_id, counts, results, ballots, position, updated_at)
       SELECT consultation_id, counts, results, new_ballots, position, now() FROM json_to_recordset($1::json) AS r(consultation_id text, counts json, results json, new_ballots integer, position text)
       ON CONFLICT (consultation_id) DO UPDATE SET counts = EXCLUDED.counts, results = EXCLUDED.results, ballots = consultation_results.ballots + EXCLUDED.ballots,
         position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(results)],
    );
    return { changes };
  },
};

/** What a batch adds to each polling table: paper ballots recorded there and sheets attached. */
class PollingTables {
  private readonly added = new Map<string, { consultation_id: string; polling_table_id: string; paperBallots: number; sheets: object[] }>();

  at(consultationId: string, pollingTableId: string) {
    const key = `${consultationId}\n${pollingTableId}`;
    let table = this.added.get(key);
    if (!table) this.added.set(key, (table = { consultation_id: consultationId, polling_table_id: pollingTableId, paperBallots: 0, sheets: [] }));
    return table;
  }

  async save(client: pg.ClientBase, at: string): Promise<void> {
    if (this.added.size === 0) return;
    const rows = [...this.added.values()].map((t) => ({ consultation_id: t.consultation_id, polling_table_id: t.polling_table_id, paper_ballots: t.paperBallots, sheets: t.sheets }));
    await client.query(
      `INSERT INTO consultation_polling_tables (consultation_id, polling_table_id, paper_ballots, sheets, updated_at)
       SELECT consultation_id, polling_table_id, paper_ballots, sheets, $2 FROM json_to_recordset($1::json) AS r(consultation_id text, polling_table_id text, paper_ballots integer, sheets json)
       ON CONFLICT (consultation_id, polling_table_id) DO UPDATE SET paper_ballots = consultation_polling_tables.paper_ballots + EXCLUDED.paper_ballots,
         sheets = (SELECT coalesce(json_agg(s ORDER BY part, n), '[]'::json) FROM (SELECT 1, s, n FROM json_array_elements(consultation_polling_tables.sheets) WITH ORDINALITY AS o(s, n)
           UNION ALL SELECT 2, s, n FROM json_array_elements(EXCLUDED.sheets) WITH ORDINALITY AS e(s, n)) AS all_sheets(part, s, n)),
         updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(rows), at],
    );
  }
}

/** A voter of a consultation, as a map key (ids hold no newline). */
const voterKey = (consultationId: string, pseudonym: string): string => `${consultationId}\n${pseudonym}`;

function ballotRow(recorded: RecordedEvent, data: BallotCast): Record<string, unknown> {
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

async function upsertCounted(client: pg.ClientBase, rows: readonly { key: string; row: Counted }[]): Promise<void> {
  const values = rows.map(({ key, row }) => {
    const [consultation_id, pseudonym] = key.split('\n');
    return { consultation_id, pseudonym, ...row };
  });
  await client.query(
    `INSERT INTO consultation_counted (consultation_id, pseudonym, event_id, quartier_id, channel, answers)
     SELECT consultation_id, pseudonym, event_id, quartier_id, channel, answers
     FROM json_to_recordset($1::json) AS r(consultation_id text, pseudonym text, event_id text, quartier_id text, channel text, answers json)
     ON CONFLICT (consultation_id, pseudonym) DO UPDATE SET event_id = EXCLUDED.event_id, quartier_id = EXCLUDED.quartier_id, channel = EXCLUDED.channel, answers = EXCLUDED.answers`,
    [JSON.stringify(values)],
  );
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
