import type { Priority, RejectionReason } from '@palabre/domain';
import type { ApiClient } from './client.js';
import type { ActionResult, OpenStatus, TicketHistory, TicketPage, TicketView } from './types.js';

export const ticketSorts = ['reportedAt', 'updatedAt', 'priority', 'status', 'category'] as const;
export type TicketSort = (typeof ticketSorts)[number];

export interface Bbox {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

/** What the dispatcher narrowed the list to; saved filters store exactly this. */
export interface TicketFilter {
  readonly statuses: readonly OpenStatus[];
  readonly category: string | null;
  readonly quartierId: string | null;
  readonly teamId: string | null;
  readonly agentId: string | null;
  readonly breachedOnly: boolean;
  readonly text: string;
}

export const emptyFilter: TicketFilter = { statuses: [], category: null, quartierId: null, teamId: null, agentId: null, breachedOnly: false, text: '' };

export interface TicketOrder {
  readonly sort: TicketSort;
  readonly order: 'asc' | 'desc';
}

export const defaultOrder: TicketOrder = { sort: 'reportedAt', order: 'desc' };

/** Everything that selects and orders rows: one value per grid "view". */
export interface TicketQuery {
  readonly communeId: string;
  readonly filter: TicketFilter;
  readonly order: TicketOrder;
  readonly bbox: Bbox | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
  readonly offset?: number;
}

const coordinate = (n: number) => String(Math.round(n * 1e6) / 1e6);

/** The query string of GET /api/tickets; keys in a stable order so equal views compare equal. */
export function ticketSearchParams(query: TicketQuery, page?: PageRequest): URLSearchParams {
  const p = new URLSearchParams();
  const { filter } = query;
  p.set('communeId', query.communeId);
  if (filter.statuses.length > 0) p.set('status', [...filter.statuses].sort().join(','));
  if (filter.category) p.set('category', filter.category);
  if (filter.quartierId) p.set('quartier', filter.quartierId);
  if (filter.teamId) p.set('teamId', filter.teamId);
  if (filter.agentId) p.set('assignee', filter.agentId);
  if (filter.breachedOnly) p.set('breached', 'true');
  if (filter.text.trim() !== '') p.set('text', filter.text.trim());
  if (query.bbox) p.set('bbox', [query.bbox.minLon, query.bbox.minLat, query.bbox.maxLon, query.bbox.maxLat].map(coordinate).join(','));
  p.set('sort', query.order.sort);
  p.set('order', query.order.order);
  if (page) {
    p.set('limit', String(page.limit));
    if (page.cursor !== undefined) p.set('cursor', page.cursor);
    else if (page.offset !== undefined) p.set('offset', String(page.offset));
  }
  return p;
}

/** Identifies a view: the cache of pages is only valid for one key. */
export const queryKey = (query: TicketQuery): string => ticketSearchParams(query).toString();

export type TicketActionBody =
  | { readonly action: 'triage'; readonly body: { readonly priority: Priority; readonly category?: string; readonly subcategory?: string | null } }
  | { readonly action: 'assign'; readonly body: { readonly teamId: string; readonly agentId?: string | null } }
  | { readonly action: 'start'; readonly body: Record<string, never> }
  | { readonly action: 'notes'; readonly body: { readonly text: string; readonly visibility: 'public' | 'internal' } }
  | { readonly action: 'resolve'; readonly body: { readonly note: string; readonly mediaIds?: readonly string[] } }
  | { readonly action: 'close'; readonly body: { readonly note?: string } }
  | { readonly action: 'reject'; readonly body: { readonly reason: RejectionReason; readonly note?: string } }
  | { readonly action: 'mark-duplicate'; readonly body: { readonly duplicateOf: string } };
export type TicketAction = TicketActionBody['action'];

/** Calls of the tickets API the console makes. */
export class TicketsApi {
  constructor(private readonly api: ApiClient) {}

  list(query: TicketQuery, page: PageRequest, signal?: AbortSignal): Promise<TicketPage> {
    return this.api.get<TicketPage>(`/api/tickets?${ticketSearchParams(query, page)}`, signal);
  }

  async get(id: string, signal?: AbortSignal): Promise<{ ticket: TicketView; revision: number }> {
    const response = await this.api.request<TicketView>(`/api/tickets/${encodeURIComponent(id)}`, signal ? { signal } : {});
    return { ticket: response.data, revision: response.revision ?? response.data.revision };
  }

  timeline(id: string, signal?: AbortSignal): Promise<TicketHistory> {
    return this.api.get<TicketHistory>(`/api/tickets/${encodeURIComponent(id)}/timeline`, signal);
  }

  /** A staff action decided on `revision`; a 412 `revision.stale` means someone acted meanwhile. */
  async act(id: string, revision: number, command: TicketActionBody, idempotencyKey: string): Promise<ActionResult> {
    const response = await this.api.request<ActionResult>(`/api/tickets/${encodeURIComponent(id)}/${command.action}`, {
      method: 'POST',
      json: command.body,
      revision,
      idempotencyKey,
    });
    return response.data;
  }
}
