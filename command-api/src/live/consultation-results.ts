import type pg from 'pg';
import type { Server, Socket } from 'socket.io';
import { type Consultation, consultationDecider, resultsVisible } from '@palabre/domain';
import { isOrganiserOf, mayRead, projectedResults, type ResultsRow, type ResultsView, resultsView } from '../consultations/results-view.js';
import type { Principal } from '../platform/principal.js';
import type { Streams } from '../platform/streams.js';

export const consultationRooms = {
  /** Everyone following it: receives results only while they are shown (live, or once closed). */
  public: (id: string) => `consultation:${id}`,
  /** The commune's organisers: receive the count as it moves, whatever the consultation shows residents. */
  organisers: (id: string) => `consultation-organisers:${id}`,
};

interface ResultRow {
  id: string;
  commune_id: string;
  state: Consultation;
  /** Null when the projector has not written its results yet. */
  tally: ResultsRow | null;
}

async function resultRows(pool: pg.Pool, ids: readonly string[]): Promise<ResultRow[]> {
  const { rows } = await pool.query<ResultRow>(
    `SELECT c.id, c.commune_id, c.state, CASE WHEN r.consultation_id IS NULL THEN NULL ELSE json_build_object('results', r.results, 'ballots', r.ballots, 'position', r.position) END AS tally
     FROM read.consultations c LEFT JOIN read.consultation_results r ON r.consultation_id = c.id
     WHERE c.id = ANY($1::text[])`,
    [ids],
  );
  return rows;
}

const liveResult = (row: ResultRow): ResultsView => resultsView(row.id, row.state.status, row.tally);

/**
 * A client follows a consultation (`consultation.follow` with `{ consultationId }`): a draft only
 * for its commune's staff; the commune's organisers in their own room. Who may follow is decided on
 * the consultation's own stream, not the read side, which may not have a consultation opened a
 * moment ago. The current figures follow at once when the client may see them.
 */
export async function followConsultation(streams: Streams, pool: pg.Pool, socket: Socket, principal: Principal, payload: { consultationId?: unknown }): Promise<void> {
  const id = typeof payload?.consultationId === 'string' && /^K[0-9A-HJKMNP-TV-Z]{12}$/.test(payload.consultationId) ? payload.consultationId : null;
  if (id === null) return;
  const { state } = await streams.load(consultationDecider, id);
  if (!mayRead(principal, state)) return;
  const organiser = isOrganiserOf(principal, state.communeId);
  await socket.join(organiser ? consultationRooms.organisers(id) : consultationRooms.public(id));
  if (organiser || resultsVisible(state)) socket.emit('consultation.results', resultsView(id, state.status, await projectedResults(pool, id)));
}

/** Pushes the new figures of these consultations: to organisers always, to everyone while results are shown. */
export async function pushConsultationResults(pool: pg.Pool, io: Server, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await resultRows(pool, ids);
  for (const row of rows) {
    const payload = liveResult(row);
    io.to(consultationRooms.organisers(row.id)).emit('consultation.results', payload);
    if (resultsVisible(row.state)) io.to(consultationRooms.public(row.id)).emit('consultation.results', payload);
  }
  return rows.length;
}
