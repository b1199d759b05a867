import { isLate, projectHealth } from '../projects/health.js';
import type { ProjectSummary } from '../projects/projects-api.js';
import type { ProposalView } from '../proposals/proposals-api.js';

export interface ParticipationFigures {
  /** Published proposals: not hidden, withdrawn nor merged into another. */
  readonly proposals: number;
  readonly byQuartier: readonly { readonly quartierId: string | null; readonly proposals: number; readonly answered: number }[];
  readonly answers: {
    /** Answered before the deadline (or before the support threshold made one due). */
    readonly onTime: number;
    /** Answered after the deadline. */
    readonly late: number;
    /** Past the deadline without an answer. */
    readonly overdue: number;
  };
  readonly projects: { readonly onTrack: number; readonly late: number; readonly completed: number };
}

const unpublished = new Set(['hidden', 'withdrawn', 'merged']);

/** The dashboard's figures on proposals and projects, computed from the API's lists. */
export function participationFigures(proposals: readonly ProposalView[], projects: readonly ProjectSummary[]): ParticipationFigures {
  const published = proposals.filter((p) => !unpublished.has(p.state));
  const quartiers = new Map<string | null, { proposals: number; answered: number }>();
  for (const p of published) {
    const q = quartiers.get(p.quartierId) ?? { proposals: 0, answered: 0 };
    quartiers.set(p.quartierId, { proposals: q.proposals + 1, answered: q.answered + (p.answer ? 1 : 0) });
  }
  const answered = proposals.filter((p) => p.answer !== null);
  const health = projects.map(projectHealth);
  return {
    proposals: published.length,
    byQuartier: [...quartiers.entries()].map(([quartierId, q]) => ({ quartierId, ...q })).sort((a, b) => b.proposals - a.proposals || String(a.quartierId).localeCompare(String(b.quartierId))),
    answers: {
      onTime: answered.filter((p) => !p.answerLate).length,
      late: answered.filter((p) => p.answerLate).length,
      overdue: published.filter((p) => p.answer === null && p.answerLate).length,
    },
    projects: { onTrack: health.filter((h) => h === 'on_track').length, late: health.filter(isLate).length, completed: health.filter((h) => h === 'completed').length },
  };
}
