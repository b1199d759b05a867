import { changedFields, type FieldChange } from '../app/changes.js';
import type { ProposalView } from './proposals-api.js';

export type ProposalField = 'state' | 'supports' | 'flags' | 'answer' | 'hidden' | 'title' | 'description';

export type ProposalChange = FieldChange<ProposalField>;

/** What changed between the proposal the officer acted on and the fresh one (flags only where the server gives them). */
export function proposalChanges(before: ProposalView, after: ProposalView): ProposalChange[] {
  return changedFields<ProposalField>([
    ['state', before.state, after.state],
    ['supports', before.supports, after.supports],
    ['flags', before.flags ?? null, after.flags ?? null],
    ['answer', before.answer?.state ?? null, after.answer?.state ?? null],
    ['hidden', before.hidden?.reason ?? null, after.hidden?.reason ?? null],
    ['title', before.title, after.title],
    ['description', before.description, after.description],
  ]);
}
