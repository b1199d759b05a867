import type { ApiClient } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import type { ProjectSummary, ProjectView, ProposalView } from '../api/types.ts';

/** The proposals' and projects' calls, loaded with their screens (the outbox's `submitProposal` is the client's own). */

export type ProposalOrder = 'most_supported' | 'newest';

export interface ProposalQuery {
  communeId?: string | null;
  sort?: ProposalOrder;
  /** Nearest first, within `radiusM` (the API then ignores `sort`). */
  near?: { lat: number; lon: number } | null;
  radiusM?: number;
  /** minLon, minLat, maxLon, maxLat: the proposals on a map. */
  bbox?: readonly [number, number, number, number] | null;
  limit?: number;
}

const id = encodeURIComponent;

export async function listProposals(api: ApiClient, q: ProposalQuery): Promise<ProposalView[]> {
  const query = new URLSearchParams({ limit: String(q.limit ?? 100) });
  if (q.communeId) query.set('communeId', q.communeId);
  if (q.sort) query.set('sort', q.sort);
  if (q.near) {
    query.set('near', `${q.near.lat.toFixed(6)},${q.near.lon.toFixed(6)}`);
    query.set('radiusM', String(q.radiusM ?? 3_000));
  }
  if (q.bbox) query.set('bbox', q.bbox.map((n) => n.toFixed(6)).join(','));
  return (await api.request<{ items: ProposalView[] }>('GET', `/api/proposals?${query}`)).items;
}

/**
 * Never from the browser's cache: the API's ETag is the proposal's revision, which a support does not
 * change (supports are streams of their own), so a revalidated copy would show old counts.
 */
export const getProposal = (api: ApiClient, proposalId: string) => api.request<ProposalView>('GET', `/api/proposals/${id(proposalId)}`, { cache: 'no-store' });

/** With an Idempotency-Key, a retry after a lost answer is answered as the first time (never a second support). */
export const supportProposal = (api: ApiClient, proposalId: string, key: string) =>
  api.request<{ proposalId: string; supporting: boolean }>('POST', `/api/proposals/${id(proposalId)}/supports`, { body: {}, headers: { 'Idempotency-Key': key } });

export const withdrawSupport = (api: ApiClient, proposalId: string, key: string) =>
  api.request<{ proposalId: string; supporting: boolean }>('DELETE', `/api/proposals/${id(proposalId)}/supports/me`, { headers: { 'Idempotency-Key': key } });

export const flagReasons = ['offensive', 'spam', 'personal_data', 'off_topic'] as const;
export type FlagReason = (typeof flagReasons)[number];

export const flagProposal = (api: ApiClient, proposalId: string, reason: FlagReason) =>
  api.request<{ id: string; hidden: boolean }>('POST', `/api/proposals/${id(proposalId)}/flags`, { body: { reason } });

/** The projects carrying out a proposal. */
export async function projectsOf(api: ApiClient, proposalId: string): Promise<ProjectSummary[]> {
  const { items } = await api.request<{ items: ProjectSummary[] }>('GET', `/api/projects?${new URLSearchParams({ proposalId })}`);
  return items;
}

export const getProject = (api: ApiClient, projectId: string) => api.request<ProjectView>('GET', `/api/projects/${id(projectId)}`);

/** Reads what the API has just acknowledged, asking again while its read model has not caught up (404). */
export async function readWhenRecorded<T>(read: () => Promise<T>, delaysMs: readonly number[] = [300, 700, 1_500, 3_000, 6_000]): Promise<T> {
  for (const delay of delaysMs) {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return read();
}
