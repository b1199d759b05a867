import { type AnswerStateDefinition, defaultProposalPolicy } from '@palabre/domain';
import type { ApiClient } from '../api/client.js';
import type { CommuneInfo, TicketMedia } from '../api/types.js';

/** `open` (no answer yet), one of the commune's answer states, or `hidden`, `withdrawn`, `merged`. */
export type ProposalState = string;
export const lifecycleStates = ['open', 'hidden', 'withdrawn', 'merged'] as const;

export interface ProposalAnswer {
  readonly state: string;
  readonly text: { readonly fr?: string; readonly en?: string };
  readonly cost: number | null;
  readonly answeredAt: string;
}

/** A proposal as `GET /api/proposals/{id}` gives it to its commune's staff. */
export interface ProposalView {
  readonly id: string;
  readonly communeId: string;
  readonly state: ProposalState;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  readonly quartierId: string | null;
  readonly location: { readonly lat: number; readonly lon: number } | null;
  readonly media: readonly TicketMedia[];
  readonly author: { readonly kind: 'citizen' | 'group'; readonly name: string | null };
  readonly costEstimate: number | null;
  readonly supports: number;
  readonly answer: ProposalAnswer | null;
  /** Due once the supports reached the commune's threshold; null before. */
  readonly answerBy: string | null;
  readonly answerLate: boolean;
  readonly mergedInto: string | null;
  readonly submittedAt: string;
  readonly revision: number;
  /** Staff only, and only from servers that say: flags since the last review (what hides it). */
  readonly flags?: number;
  /** Staff only: why it is hidden (`by` is 'flags' when the residents' flags hid it pending review). */
  readonly hidden?: { readonly by: string; readonly reason: string; readonly at: string } | null;
}

export interface ProposalQuery {
  readonly communeId: string;
  readonly state: ProposalState | null;
  readonly category: string | null;
  readonly quartierId: string | null;
  readonly sort: 'most_supported' | 'newest';
}

/** The list endpoint gives at most this many, without paging: the console says when it shows the first ones only. */
export const proposalListLimit = 200;

export interface AnswerBody {
  readonly state: string;
  readonly text: { readonly fr?: string; readonly en?: string };
  readonly cost?: number;
}

/** The answers the commune gives, as its policy says (the default one while the server does not say). */
export function answerStatesOf(commune: CommuneInfo | undefined): readonly AnswerStateDefinition[] {
  return commune?.proposalPolicy?.answerStates ?? defaultProposalPolicy.answerStates;
}

/** Calls of the proposals API the console makes. */
export class ProposalsApi {
  constructor(private readonly api: ApiClient) {}

  async list(query: ProposalQuery, signal?: AbortSignal): Promise<readonly ProposalView[]> {
    const p = new URLSearchParams({ communeId: query.communeId, sort: query.sort, limit: String(proposalListLimit) });
    if (query.state) p.set('state', query.state);
    if (query.category) p.set('category', query.category);
    if (query.quartierId) p.set('quartierId', query.quartierId);
    return (await this.api.get<{ items: ProposalView[] }>(`/api/proposals?${p}`, signal)).items;
  }

  /** The proposal and the revision its ETag names: what an answer or a moderation is decided on. */
  async get(id: string, signal?: AbortSignal): Promise<ProposalView> {
    const response = await this.api.request<ProposalView>(`/api/proposals/${encodeURIComponent(id)}`, signal ? { signal } : {});
    return { ...response.data, revision: response.revision ?? response.data.revision };
  }

  /** A moderator hides a published proposal or restores a hidden one, saying why, at the revision read. */
  async moderate(id: string, action: 'hide' | 'restore', reason: string, revision: number): Promise<number> {
    return (await this.api.request<{ revision: number }>(`/api/proposals/${encodeURIComponent(id)}/${action}`, { method: 'POST', json: { reason }, revision })).data.revision;
  }

  /** The commune's public answer, at the revision read. */
  async answer(id: string, body: AnswerBody, revision: number): Promise<number> {
    return (await this.api.request<{ revision: number }>(`/api/proposals/${encodeURIComponent(id)}/answer`, { method: 'POST', json: body, revision })).data.revision;
  }
}
