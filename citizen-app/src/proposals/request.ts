import type { ProposalRequest } from '../api/types.ts';
import type { ProposalDraft } from './draft.ts';

export const titleLength = { min: 5, max: 200 };
export const descriptionLength = { min: 10, max: 5000 };

/** The cost as whole francs, or null when blank or not a number ("2 500 000", "2.500.000" and "2500000" alike). */
export function parseCost(typed: string): number | null {
  const digits = typed.replace(/[\s.,\u202f\u00a0]/g, '');
  if (!/^\d{1,13}$/.test(digits)) return null;
  return Number(digits);
}

/** Ready to send: what the API checks, checked on the phone first so a refusal never waits in the outbox. */
export function draftReady(draft: ProposalDraft): boolean {
  const title = draft.title.trim().length;
  const description = draft.description.trim().length;
  return (
    draft.category !== null &&
    draft.place !== null &&
    title >= titleLength.min &&
    title <= titleLength.max &&
    description >= descriptionLength.min &&
    description <= descriptionLength.max &&
    (draft.cost.trim() === '' || parseCost(draft.cost) !== null)
  );
}

/** The body of POST /api/proposals (the outbox adds the photos' media ids once they are uploaded). */
export function proposalRequest(draft: ProposalDraft): ProposalRequest {
  if (!draftReady(draft)) throw new Error('The proposal is not complete');
  const cost = parseCost(draft.cost);
  const place = draft.place!;
  return {
    title: draft.title.trim(),
    description: draft.description.trim(),
    category: draft.category!,
    ...(place.kind === 'point' ? { location: { lat: round(place.lat), lon: round(place.lon) } } : { quartierId: place.quartierId }),
    ...(cost !== null ? { costEstimate: cost } : {}),
  };
}

/** Six decimals is about 11 cm: more would only pretend. */
const round = (degrees: number) => Math.round(degrees * 1e6) / 1e6;
