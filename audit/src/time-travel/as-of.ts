import { defaultSlaPolicy, replay, parseTicketEvent, slaDeadlines, slaStatus, type Ticket, ticketStreamId } from '@palabre/domain';
import { type EventStore, formatPosition, type RecordedEvent } from '@palabre/event-store';
import type { TicketDetail } from '@palabre/projections';

/** A ticket as the system knew it at `asOf`: replayed from its stream, events recorded up to then. */
export interface TicketAsOf {
  readonly ticketId: string;
  readonly asOf: string;
  readonly ticket: Ticket;
  /** Revision of the last event applied (what If-Match would have carried then). */
  readonly revision: number;
  readonly lastEvent: RecordedEvent;
}

/** Null when the ticket did not exist yet at `asOf` (or never did). */
export async function ticketAsOf(store: EventStore, ticketId: string, asOf: Date): Promise<TicketAsOf | null> {
  const events = await store.readStream(ticketStreamId(ticketId));
  const limit = asOf.getTime();
  // A stream's events are recorded in revision order: the state then is a prefix of the stream.
  const end = events.findIndex((e) => Date.parse(e.metadata.recordedAt) > limit);
  const known = end < 0 ? events : events.slice(0, end);
  if (known.length === 0) return null;
  const ticket = replay(known.map((e) => parseTicketEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion })));
  return { ticketId, asOf: asOf.toISOString(), ticket, revision: known.length - 1, lastEvent: known[known.length - 1]! };
}

/** The same shape as the read model's TicketDetail, so the API's views render a past ticket as a current one. */
export function ticketDetailAsOf(past: TicketAsOf): TicketDetail {
  const t = past.ticket;
  const due = t.reportedAt !== null && t.category !== null ? slaDeadlines(defaultSlaPolicy, { reportedAt: t.reportedAt, category: t.category, priority: t.priority }) : null;
  const sla = due ? slaStatus(t, past.asOf) : null;
  return {
    id: past.ticketId,
    communeId: t.communeId,
    quartierId: t.quartierId,
    category: t.category,
    subcategory: t.subcategory,
    status: t.status,
    priority: t.priority,
    teamId: t.teamId,
    agentId: t.agentId,
    location: t.location,
    landmark: t.landmark,
    description: t.description,
    confirmations: t.confirmations.length,
    anonymous: t.anonymous,
    confidential: t.confidential,
    channel: t.channel,
    reportedAt: t.reportedAt,
    acknowledgedAt: t.acknowledgedAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
    ackDueAt: due?.acknowledgeBy ?? null,
    resolveDueAt: due?.resolveBy ?? null,
    breachAt: null,
    breached: sla?.breached ?? false,
    duplicateOf: t.duplicateOf,
    createdAt: t.reportedAt ?? past.lastEvent.metadata.recordedAt,
    updatedAt: t.updatedAt ?? past.lastEvent.metadata.recordedAt,
    revision: past.revision,
    mediaIds: t.mediaIds,
    reporterId: t.reporterId,
    contactSubjectId: t.contactSubjectId,
    assignedAt: t.assignedAt,
    rejectedAt: t.rejection?.rejectedAt ?? null,
    rejectionReason: t.rejection?.reason ?? null,
    disputeCount: t.disputeCount,
    resolution: t.resolution,
    position: formatPosition(past.lastEvent.position),
  };
}
