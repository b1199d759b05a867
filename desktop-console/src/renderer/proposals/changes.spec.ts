import { describe, expect, it } from 'vitest';
import { proposalChanges } from './changes.js';
import type { ProposalView } from './proposals-api.js';

const proposal: ProposalView = {
  id: 'P0000000000AB',
  communeId: 'soa',
  state: 'open',
  title: 'Éclairer la rue du marché',
  description: 'Six lampadaires entre le marché et l’école.',
  category: 'eclairage',
  quartierId: 'soa-centre',
  location: null,
  media: [],
  author: { kind: 'citizen', name: null },
  costEstimate: null,
  supports: 3,
  answer: null,
  answerBy: null,
  answerLate: false,
  mergedInto: null,
  submittedAt: '2026-03-01T08:00:00.000Z',
  revision: 0,
};

describe('what changed on a proposal meanwhile', () => {
  it('names the supports and flags that moved, and nothing else', () => {
    expect(proposalChanges({ ...proposal, flags: 0 }, { ...proposal, supports: 4, flags: 1, revision: 1 })).toEqual([
      { field: 'supports', before: 3, after: 4 },
      { field: 'flags', before: 0, after: 1 },
    ]);
  });

  it('says nothing of flags when the server gives none', () => {
    expect(proposalChanges(proposal, { ...proposal, revision: 1 })).toEqual([]);
  });

  it('names an answer given and the state it put the proposal in', () => {
    const answered = { ...proposal, state: 'rejected', answer: { state: 'rejected', text: { fr: 'Hors budget' }, cost: null, answeredAt: '2026-03-02T08:00:00.000Z' } };
    expect(proposalChanges(proposal, answered).map((c) => c.field)).toEqual(['state', 'answer']);
  });
});
