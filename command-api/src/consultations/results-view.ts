import { type Consultation, tallyRules } from '@palabre/domain';
import { canSeeCommune, type Principal } from '../platform/principal.js';

/** Staff who run their commune's consultations, and see the count as it moves whatever residents are shown. */
export const organiserRoles = ['admin', 'dispatcher'] as const;

export const isOrganiserOf = (principal: Principal, communeId: string | null): boolean =>
  principal.kind === 'staff' && (organiserRoles as readonly string[]).includes(principal.role) && canSeeCommune(principal, communeId);

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

const noBallots = { turnout: 0, byChannel: { online: 0, paper: 0 }, questions: [], byQuartier: { withheld: true, cells: [] } };

export const resultsView = (consultationId: string, status: Consultation['status'], row: ResultsRow | null | undefined): ResultsView => ({
  consultationId,
  status,
  ...(row?.results ?? noBallots),
  rules: tallyRules,
  ballots: row?.ballots ?? 0,
  position: row?.position ?? '0/0',
});
