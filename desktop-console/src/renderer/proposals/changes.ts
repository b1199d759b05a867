import type { ProposalView } from './proposals-api.js';

export type ProposalField = 'state' | 'supports' | 'flags' | 'answer' | 'hidden' | 'title' | 'description';

export interface ProposalChange {
  readonly field: ProposalField;
  readonly before: string | number | null;
  readonly after: string | number | null;
}

/** What changed between the proposal the officer acted on and the fresh one (flags only where the server gives them). */
export function proposalChanges(before: ProposalView, after: ProposalView): ProposalChange[] {
  const pairs: [ProposalField, string | number | null, string | number | null][] = [
    ['state', before.state, after.state],
    ['supports', before.supports, after.supports],
    ['flags', before.flags ?? null, after.flags ?? null],
    ['answer', before.answer?.state ?? null, after.answer?.state ?? null],
    ['hidden', before.hidden?.reason ?? null, after.hidden?.reason ?? null],
    ['title', before.title, after.title],
    ['description', before.description, after.description],
  ];
  return pairs.filter(([, b, a]) => b !== a).map(([field, b, a]) => ({ field, before: b, after: a }));
}
