import { describe, expect, it } from 'vitest';
import type { ProposalDraft } from './draft.ts';
import { draftReady, parseCost, proposalRequest } from './request.ts';

const draft: ProposalDraft = {
  category: 'voirie',
  photos: [],
  place: { kind: 'point', lat: 5.4470001234, lon: 10.07 },
  title: '  Une passerelle sur le ruisseau ',
  description: 'Les enfants traversent le ruisseau à gué pour aller à l’école.',
  cost: '',
};

describe('a proposal written on the phone', () => {
  it('becomes the API body: trimmed, the point to six decimals, no blank cost', () => {
    expect(proposalRequest(draft)).toEqual({
      title: 'Une passerelle sur le ruisseau',
      description: 'Les enfants traversent le ruisseau à gué pour aller à l’école.',
      category: 'voirie',
      location: { lat: 5.447, lon: 10.07 },
    });
  });

  it('names a quartier instead of a point, and carries a cost written the way people write it', () => {
    expect(proposalRequest({ ...draft, place: { kind: 'quartier', quartierId: 'dschang-foto' }, cost: '2 500 000' })).toMatchObject({ quartierId: 'dschang-foto', costEstimate: 2_500_000 });
    expect(proposalRequest({ ...draft, place: { kind: 'quartier', quartierId: 'dschang-foto' } })).not.toHaveProperty('location');
    expect(parseCost('2.500.000')).toBe(2_500_000);
    expect(parseCost('deux millions')).toBeNull();
  });

  it('is not ready without a place, with a title or description too short, or a cost that is no number', () => {
    expect(draftReady(draft)).toBe(true);
    expect(draftReady({ ...draft, place: null })).toBe(false);
    expect(draftReady({ ...draft, title: 'Pont' })).toBe(false);
    expect(draftReady({ ...draft, description: 'Un pont.' })).toBe(false);
    expect(draftReady({ ...draft, cost: 'beaucoup' })).toBe(false);
  });
});
