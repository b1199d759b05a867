import { describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../projects/projects-api.js';
import type { ProposalView } from '../proposals/proposals-api.js';
import { participationFigures } from './participation.js';

const proposal = (id: string, patch: Partial<ProposalView> = {}): ProposalView => ({
  id,
  communeId: 'soa',
  state: 'open',
  title: `Proposition ${id}`,
  description: 'Une proposition d’habitants.',
  category: 'voirie',
  quartierId: 'soa-centre',
  location: null,
  media: [],
  author: { kind: 'citizen', name: null },
  costEstimate: null,
  supports: 0,
  answer: null,
  answerBy: null,
  answerLate: false,
  mergedInto: null,
  submittedAt: '2026-03-01T08:00:00.000Z',
  revision: 0,
  ...patch,
});
const answer = { state: 'accepted', text: { fr: 'Oui.' }, cost: null, answeredAt: '2026-03-10T08:00:00.000Z' };
const project = (id: string, patch: Partial<ProjectSummary> = {}): ProjectSummary => ({
  id,
  communeId: 'soa',
  status: 'active',
  title: id,
  description: null,
  proposalIds: [],
  currency: 'XAF',
  stage: null,
  percent: 0,
  budget: null,
  revision: 0,
  ...patch,
});

describe('the dashboard’s figures on proposals and projects', () => {
  it('counts published proposals per quartier, most first, with how many were answered', () => {
    const figures = participationFigures(
      [
        proposal('a', { state: 'accepted', answer }),
        proposal('b'),
        proposal('c', { quartierId: 'soa-ebogo' }),
        proposal('d', { state: 'hidden' }),
        proposal('e', { quartierId: null, state: 'withdrawn' }),
      ],
      [],
    );
    expect(figures.proposals).toBe(3);
    expect(figures.byQuartier).toEqual([
      { quartierId: 'soa-centre', proposals: 2, answered: 1 },
      { quartierId: 'soa-ebogo', proposals: 1, answered: 0 },
    ]);
  });

  it('tells answers on time from late ones, and counts those past due without one', () => {
    const figures = participationFigures(
      [
        proposal('a', { answer }),
        proposal('b', { answer, answerBy: '2026-03-05T00:00:00.000Z', answerLate: true }),
        proposal('c', { answerBy: '2026-03-05T00:00:00.000Z', answerLate: true }),
        proposal('d', { answerBy: '2026-04-05T00:00:00.000Z' }),
      ],
      [],
    );
    expect(figures.answers).toEqual({ onTime: 1, late: 1, overdue: 1 });
  });

  it('counts projects on track, late (suspended, or spending ahead of the work) and completed', () => {
    const budget = { planned: 10_000_000, committed: 10_000_000, reason: null };
    const figures = participationFigures(
      [],
      [
        project('on-track', { percent: 30, budget: { ...budget, spent: 2_000_000 } }),
        project('behind', { percent: 10, budget: { ...budget, spent: 5_000_000 } }),
        project('suspended', { status: 'suspended' }),
        project('done', { status: 'completed', percent: 100 }),
      ],
    );
    expect(figures.projects).toEqual({ onTrack: 1, late: 2, completed: 1 });
  });
});
