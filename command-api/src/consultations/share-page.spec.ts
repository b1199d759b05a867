import { describe, expect, it } from 'vitest';
import type { Consultation } from '@palabre/domain';
import { pageLanguage, renderSharePage } from './share-page.js';

const text = (fr: string, en: string) => ({ fr, en });
const consultation = {
  consultationId: 'K0000000000001',
  communeId: 'soa',
  status: 'published',
  content: {
    title: text('Budget 2027 & "priorités"', 'Budget 2027'),
    description: null,
    mediaIds: [],
    quartierIds: ['soa-ebogo'],
    requiredLevel: 'in_person',
    adultsOnly: true,
    opensAt: '2027-01-04T08:00:00.000Z',
    closesAt: '2027-01-18T17:00:00.000Z',
    resultsVisibility: 'at_close',
    questions: [
      {
        id: 'projets',
        kind: 'budget',
        text: text('Quels projets ?', 'Which projects?'),
        budget: 40_000_000,
        options: [
          { id: 'pont', label: text('Passerelle', 'Footbridge'), cost: 25_000_000 },
          { id: 'forage', label: text('Forage', 'Borehole'), cost: 12_000_000 },
        ],
      },
      { id: 'note', kind: 'scale', text: text('Votre note ?', 'Your score?') },
    ],
  },
} as unknown as Consultation;

describe('the shared page of a consultation', () => {
  it('speaks the language asked for, else the browser’s first of French and English, else French', () => {
    expect(pageLanguage('en', 'fr')).toBe('en');
    expect(pageLanguage(undefined, 'de-DE,en;q=0.8,fr;q=0.5')).toBe('en');
    expect(pageLanguage('es', 'es-ES')).toBe('fr');
    expect(pageLanguage(undefined, undefined)).toBe('fr');
  });

  it('shows the question, its items with costs, the funded ones and the turnout once published, every text escaped', () => {
    const html = renderSharePage(
      {
        id: 'K0000000000001',
        consultation,
        communeName: 'Soa',
        quartierNames: new Map([['soa-ebogo', 'Ebogo']]),
        results: {
          turnout: 12,
          questions: [
            { questionId: 'projets', kind: 'budget', answered: 12, budget: 40_000_000, spent: 37_000_000, winners: ['pont', 'forage'], options: [{ optionId: 'pont', votes: 9, cost: 25_000_000 }, { optionId: 'forage', votes: 7, cost: 12_000_000 }] },
            { questionId: 'note', kind: 'scale', answered: 10, average: 3.5, distribution: [] },
          ],
        },
        timeZone: 'Africa/Douala',
      },
      'fr',
    );
    expect(html).toContain('<title>Budget 2027 &#38; &#34;priorités&#34; — Palabre</title>');
    expect(html).toContain('Pour les habitants de : Ebogo');
    expect(html).toContain('Habitants vérifiés en personne par la commune · 18 ans et plus');
    expect(html).toMatch(/Passerelle — 25\s000\s000 FCFA <strong>\(financé\)<\/strong><\/td><td class="n">9<\/td>/);
    expect(html).toContain('Note de 1 à 5 — 3.50 / 5');
    expect(html).toContain('12 votant(s)');
    // Published: no button to vote.
    expect(html).not.toContain('class="vote"');
    expect(html).toContain('4 janvier 2027');
  });
});
