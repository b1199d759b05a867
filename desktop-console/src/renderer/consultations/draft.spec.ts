import { describe, expect, it } from 'vitest';
import { type DraftFields, localInputValue, newDraft, newQuestion, toDraft, withKind } from './draft.js';

const now = new Date(2026, 11, 6, 9, 41, 27);
const filled = (over: Partial<DraftFields> = {}): DraftFields => {
  const base = newDraft(now);
  return {
    ...base,
    title: { fr: ' Où mettre le marché ? ', en: 'Where should the market go?' },
    questions: [
      {
        ...newQuestion(0),
        text: { fr: 'Quel site ?', en: 'Which site?' },
        options: [
          { id: 'o1', label: { fr: 'Gare', en: 'Station' }, cost: '' },
          { id: 'o2', label: { fr: 'Stade', en: 'Stadium' }, cost: '' },
        ],
      },
    ],
    ...over,
  };
};

describe('the consultation editor’s form', () => {
  it('starts a draft open from now (to the minute) for two weeks, for the whole commune at the phone level', () => {
    const draft = newDraft(now);
    expect(draft.opensAt).toBe('2026-12-06T09:41');
    expect(draft.closesAt).toBe(localInputValue(new Date(2026, 11, 20, 9, 41)));
    expect(draft).toMatchObject({ quartierIds: [], requiredLevel: 'phone', resultsVisibility: 'at_close' });
  });

  it('becomes the POST body: trimmed texts, ISO times, the whole commune as no quartiers, no empty description', () => {
    const result = toDraft(filled(), 'soa');
    expect(result.errors).toEqual([]);
    expect(result.draft).toEqual({
      communeId: 'soa',
      title: { fr: 'Où mettre le marché ?', en: 'Where should the market go?' },
      requiredLevel: 'phone',
      opensAt: new Date(2026, 11, 6, 9, 41).toISOString(),
      closesAt: new Date(2026, 11, 20, 9, 41).toISOString(),
      resultsVisibility: 'at_close',
      questions: [{ id: 'q1', kind: 'single', text: { fr: 'Quel site ?', en: 'Which site?' }, options: [{ id: 'o1', label: { fr: 'Gare', en: 'Station' } }, { id: 'o2', label: { fr: 'Stade', en: 'Stadium' } }] }],
    });
    expect(toDraft(filled({ quartierIds: ['soa-ebogo'], adultsOnly: true }), 'soa').draft).toMatchObject({ quartierIds: ['soa-ebogo'], adultsOnly: true });
  });

  it('names every field to fix, by its path, and gives no body', () => {
    const result = toDraft(
      filled({
        title: { fr: 'Marché', en: ' ' },
        description: { fr: 'Seulement en français', en: '' },
        closesAt: '2026-12-01T10:00',
        questions: [{ ...newQuestion(0, 'single'), text: { fr: 'Site ?', en: 'Site?' } }],
      }),
      'soa',
    );
    expect(result.draft).toBeNull();
    expect(result.errors).toEqual([
      { field: 'title.en', reason: 'required' },
      { field: 'description.en', reason: 'required' },
      { field: 'closesAt', reason: 'closesBeforeOpens' },
      { field: 'questions.0.options.0.label.fr', reason: 'required' },
      { field: 'questions.0.options.0.label.en', reason: 'required' },
      { field: 'questions.0.options.1.label.fr', reason: 'required' },
      { field: 'questions.0.options.1.label.en', reason: 'required' },
    ]);
  });

  it('reads budget amounts as typed (spaces, thin spaces) and refuses what is not a whole number', () => {
    const budget = withKind(filled().questions[0]!, 'budget');
    const priced = { ...budget, budget: '40 000 000', options: budget.options.map((o, j) => ({ ...o, cost: j === 0 ? '25\u202f000\u202f000' : '12 000 000' })) };
    expect(toDraft(filled({ questions: [priced] }), 'soa').draft!.questions[0]).toMatchObject({ kind: 'budget', budget: 40_000_000, options: [{ cost: 25_000_000 }, { cost: 12_000_000 }] });
    const wrong = { ...priced, budget: 'beaucoup', options: [{ ...priced.options[0]!, cost: '-5' }, priced.options[1]!] };
    expect(toDraft(filled({ questions: [wrong] }), 'soa').errors).toEqual([
      { field: 'questions.0.options.0.cost', reason: 'number' },
      { field: 'questions.0.budget', reason: 'number' },
    ]);
  });

  it('keeps a question’s text and options when its kind changes, and checks how many choices a multiple question allows', () => {
    const single = filled().questions[0]!;
    const multiple = withKind(single, 'multiple');
    expect(multiple).toMatchObject({ kind: 'multiple', text: single.text, options: single.options, maxChoices: '2' });
    expect(withKind(multiple, 'scale')).toMatchObject({ kind: 'scale', text: single.text, options: [], maxChoices: '' });
    expect(toDraft(filled({ questions: [{ ...multiple, maxChoices: '3' }] }), 'soa').errors).toEqual([{ field: 'questions.0.maxChoices', reason: 'maxChoices' }]);
    expect(toDraft(filled({ questions: [withKind(single, 'text')] }), 'soa').draft!.questions).toEqual([{ id: 'q1', kind: 'text', text: single.text }]);
  });

  it('refuses two questions or two options with one id', () => {
    const q = filled().questions[0]!;
    const twice = { ...q, options: [q.options[0]!, { ...q.options[1]!, id: 'o1' }] };
    expect(toDraft(filled({ questions: [twice, q] }), 'soa').errors).toEqual([
      { field: 'questions.0.options.1.id', reason: 'duplicateId' },
      { field: 'questions.1.id', reason: 'duplicateId' },
    ]);
  });
});
