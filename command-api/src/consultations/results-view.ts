import { type Consultation, isOrganiserRole, tallyRules } from '@palabre/domain';
import type pg from 'pg';
import { canSeeCommune, type Principal } from '../platform/principal.js';

/** Drafts are for the commune's staff; an opened consultation is public. Decided on the consultation's own stream. */
export const mayRead = (principal: Principal, consultation: Consultation): boolean =>
  consultation.status !== 'none' && (consultation.status !== 'draft' || (principal.kind === 'staff' && canSeeCommune(principal, consultation.communeId)));

/** The commune's organisers see the count as it moves, whatever residents are shown. */
export const isOrganiserOf = (principal: Principal, communeId: string | null): boolean =>
  principal.kind === 'staff' && isOrganiserRole(principal.role) && canSeeCommune(principal, communeId);

/** A row of `read.consultation_results`; absent until the projector has seen the consultation. */
export interface ResultsRow {
  readonly results: Record<string, unknown>;
  readonly ballots: number;
  readonly position: string;
}

/** A consultation's results as `GET …/results` answers them and `consultation.results` pushes them. */
export interface ResultsView {
  readonly consultationId: string;
  readonly status: Consultation['status'];
  readonly ballots: number;
  readonly position: string;
  readonly [figure: string]: unknown;
}

/** The figures the consultations projector keeps for it; undefined until it has seen the consultation. */
export async function projectedResults(pool: pg.Pool, consultationId: string): Promise<ResultsRow | undefined> {
  const { rows } = await pool.query<ResultsRow>('SELECT results, ballots, position FROM read.consultation_results WHERE consultation_id = $1', [consultationId]);
  return rows[0];
}

const noBallots = { turnout: 0, byChannel: { online: 0, paper: 0 }, questions: [], byQuartier: { withheld: true, cells: [] } };

export const resultsView = (consultationId: string, status: Consultation['status'], row: ResultsRow | null | undefined): ResultsView => ({
  consultationId,
  status,
  ...(row?.results ?? noBallots),
  rules: tallyRules,
  ballots: row?.ballots ?? 0,
  position: row?.position ?? '0/0',
});
