import { encodePlusCode } from '@palabre/domain';
import type { TicketDetail, TicketSummary, TimelineItem } from '@palabre/projections';
import { mediaUrls } from '../media/media-library.js';
import type { Principal } from '../platform/principal.js';

/** Human reference read over the phone: commune prefix + the id's first characters. */
export const ticketReference = (id: string, communeId: string | null): string =>
  `${(communeId ?? 'PAL').slice(0, 3).toUpperCase()}-${id.slice(1, 7)}`;

const sla = (t: TicketSummary) => {
  const now = Date.now();
  const late = (due: string | null, done: string | null) => due !== null && (done === null ? Date.parse(due) < now : Date.parse(done) > Date.parse(due));
  const acknowledgeBreached = late(t.ackDueAt, t.acknowledgedAt);
  const finished = t.status === 'rejected' || t.status === 'duplicate';
  const resolveBreached = !finished && late(t.resolveDueAt, t.resolvedAt ?? t.closedAt);
  return { acknowledgeBy: t.ackDueAt, resolveBy: t.resolveDueAt, acknowledgeBreached, resolveBreached, breached: t.breached };
};

/**
 * What a ticket looks like to its reader. Staff never see who filed an anonymous or confidential
 * report; citizens never see who filed anyone's report, only whether it is theirs.
 */
export function ticketView(t: TicketSummary | TicketDetail, principal: Principal, extras: { mine?: boolean; confirmedByMe?: boolean } = {}) {
  const detail = 'mediaIds' in t ? t : null;
  const base = {
    id: t.id,
    reference: ticketReference(t.id, t.communeId),
    communeId: t.communeId,
    quartierId: t.quartierId,
    category: t.category,
    subcategory: t.subcategory,
    status: t.status,
    priority: t.priority,
    teamId: t.teamId,
    agentId: principal.kind === 'staff' ? t.agentId : null,
    location: t.location,
    plusCode: t.location ? encodePlusCode(t.location.lat, t.location.lon) : null,
    landmark: t.landmark,
    description: t.description,
    media: detail ? detail.mediaIds.map((id) => ({ id, ...mediaUrls(id) })) : [],
    anonymous: t.anonymous,
    confidential: t.confidential,
    channel: t.channel,
    confirmations: t.confirmations,
    reportedAt: t.reportedAt,
    acknowledgedAt: t.acknowledgedAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
    updatedAt: t.updatedAt,
    sla: sla(t),
    duplicateOf: t.duplicateOf,
    resolution: detail?.resolution ?? null,
    // A comment on a project is a ticket about it: the console links it, the resident sees where it went.
    about: detail?.about ?? null,
    rejection: detail && detail.rejectionReason ? { reason: detail.rejectionReason } : null,
    revision: t.revision,
  };
  if (principal.kind === 'citizen') return { ...base, mine: extras.mine ?? (detail !== null && detail.reporterId === principal.id), confirmedByMe: extras.confirmedByMe ?? false };
  const hidden = t.anonymous || t.confidential;
  return { ...base, reporter: !hidden && detail?.reporterId ? { citizenId: detail.reporterId } : null, hasContact: !hidden && detail?.contactSubjectId != null };
}
export type TicketView = ReturnType<typeof ticketView>;

/**
 * Timeline rows: citizens get the public history without actors; staff get everything, citizen
 * actors hidden on anonymous or confidential reports (as `ticketView` hides the reporter).
 */
export function timelineView(items: readonly TimelineItem[], principal: Principal, ticket: { anonymous: boolean; confidential: boolean }) {
  const hideCitizens = ticket.anonymous || ticket.confidential;
  const staffActor = (i: TimelineItem) => ({ id: i.actorId === null || (hideCitizens && i.actorRole === 'citizen') ? null : i.actorId, role: i.actorRole });
  return items.map((i) => ({
    revision: i.revision,
    type: i.eventType,
    summary: i.summary,
    data: principal.kind === 'staff' ? { ...i.data, ...(i.internal ?? {}) } : i.data,
    actor: principal.kind === 'staff' && i.actorId !== undefined ? staffActor(i) : { role: i.actorRole === 'citizen' ? 'citizen' : 'staff' },
    at: i.at,
    visibility: i.visibility,
  }));
}
