import type { OutboxEntry, OutboxTransport, Failure, Outbox } from '@palabre/outbox';
import type { ApiClient } from '../api/client.ts';
import { ApiError, NetworkError } from '../api/errors.ts';
import type { ProposalRequest, ReportRequest } from '../api/types.ts';

/** What the app queues, made offline as well as online: reports, and proposals for the commune. */
export type AppRequest = { kind: 'report'; report: ReportRequest } | { kind: 'proposal'; proposal: ProposalRequest };
export type AppOutbox = Outbox<AppRequest, { id: string }>;
export type AppOutboxEntry = OutboxEntry<AppRequest>;

export function apiTransport(api: ApiClient): OutboxTransport<AppRequest, { id: string }> {
  return {
    uploadPhoto: (photo) => api.uploadMedia(photo),
    send: (request, mediaIds, key) =>
      request.kind === 'proposal' ? api.submitProposal({ ...request.proposal, mediaIds }, key) : api.submitReport({ ...request.report, mediaIds }, key),
  };
}

/** A report queued by a version of the app before the outbox carried other kinds: `report` was the entry's own field. */
export function upgradeEntry(stored: unknown): AppOutboxEntry {
  const entry = stored as AppOutboxEntry & { report?: ReportRequest };
  if (!entry.report) return entry;
  const { report, ...rest } = entry;
  return { ...rest, request: { kind: 'report', report } };
}

/** No answer or a server in trouble: try later. A 4xx about the request itself: it will never pass. */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof NetworkError) return { retry: true, code: 'network' };
  if (error instanceof ApiError) return { retry: error.retryable, code: error.code };
  // A bug or storage failure on the phone: keep the request and try again rather than lose it.
  return { retry: true, code: 'unknown' };
}
