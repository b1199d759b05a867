import { envelopesFor, type EventStore } from '@palabre/event-store';
import { ContactStatuses, type ContactStatus } from '../export/contact-status.js';
import type { Queryable } from '../log/tree-store.js';

export const SUBJECT_FORGOTTEN = 'SubjectForgotten';

/** `erasure-soa`, `erasure-national`: who had whom forgotten, and why — without the person's data. */
export const erasureStreamId = (communeId: string | null): string => `erasure-${communeId ?? 'national'}`;

export interface ErasureRecord {
  readonly subjectId: string;
  readonly actor: { readonly id: string; readonly role: string };
  readonly communeId: string | null;
  /** The request it honours, e.g. `citizen request 2026-11-02 by phone`. */
  readonly reason: string;
  readonly correlationId?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/**
 * Records an erasure in the log, after the vault destroyed the subject's key. The log never held
 * the data, so nothing in it changes and every proof stays valid; this event says it happened.
 */
export async function recordSubjectForgotten(store: EventStore, erasure: ErasureRecord, clock: () => Date = () => new Date()): Promise<void> {
  const at = clock().toISOString();
  const event = { type: SUBJECT_FORGOTTEN, data: { subjectId: erasure.subjectId, reason: erasure.reason.trim().slice(0, 500), forgottenAt: at } };
  // One command per subject: its event id follows from it, so forgetting someone twice records it once.
  const context = {
    commandId: `erasure:${erasure.subjectId}`,
    correlationId: erasure.correlationId,
    actor: erasure.actor,
    communeId: erasure.communeId,
    recordedAt: at,
    traceparent: erasure.traceparent,
    tracestate: erasure.tracestate,
  };
  await store.append(erasureStreamId(erasure.communeId), envelopesFor([event], context, () => 1), 'any');
}

/** What views and exports may say about a subject: held, erased, or unknown — never the data. */
export async function subjectStatus(db: Queryable, subjectId: string): Promise<ContactStatus> {
  const statuses = new ContactStatuses(db);
  await statuses.learn([subjectId]);
  return statuses.of(subjectId) ?? 'unknown';
}
