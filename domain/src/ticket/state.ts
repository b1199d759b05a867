import { assertNever } from '../shared/errors.js';
import type { Channel, Location, Priority, RejectionReason, TicketAbout, TicketEvent } from './events.js';

export const ticketStatuses = [
  'none',
  'new',
  'triaged',
  'assigned',
  'in_progress',
  'resolved',
  'reopened',
  'closed',
  'rejected',
  'duplicate',
] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/** Statuses after which the ticket is finished: no more work, only notes. */
export const finishedStatuses: readonly TicketStatus[] = ['closed', 'rejected', 'duplicate'];

/** Everything a read model needs about one ticket, folded from its events. */
export interface Ticket {
  readonly status: TicketStatus;
  readonly ticketId: string | null;
  readonly communeId: string | null;
  readonly quartierId: string | null;
  readonly category: string | null;
  readonly subcategory: string | null;
  /** 'normal' until a dispatcher triages. */
  readonly priority: Priority;
  readonly teamId: string | null;
  readonly agentId: string | null;
  readonly location: Location | null;
  readonly landmark: string | null;
  readonly description: string | null;
  readonly mediaIds: readonly string[];
  readonly reporterId: string | null;
  readonly contactSubjectId: string | null;
  readonly anonymous: boolean;
  readonly confidential: boolean;
  readonly channel: Channel | null;
  /** Citizens who said "me too", in order. */
  readonly confirmations: readonly string[];
  /** Notes already added, so a retried AddNote is harmless. */
  readonly noteIds: readonly string[];
  readonly clientTime: string | null;
  /** The project a resident's comment is about (null for a report of a place). */
  readonly about: TicketAbout | null;
  readonly reportedAt: string | null;
  readonly triagedAt: string | null;
  /** First explicit assignment; routing alone only proposes a team. */
  readonly assignedAt: string | null;
  readonly workStartedAt: string | null;
  /** First staff action the citizen can see; drives the acknowledgement SLA. */
  readonly acknowledgedAt: string | null;
  /** Cleared when the reporter disputes the resolution. */
  readonly resolvedAt: string | null;
  readonly resolution: { readonly note: string; readonly mediaIds: readonly string[] } | null;
  readonly closedAt: string | null;
  readonly rejection: { readonly reason: RejectionReason; readonly note: string | null; readonly rejectedAt: string } | null;
  readonly duplicateOf: string | null;
  readonly markedDuplicateAt: string | null;
  readonly routingRule: { readonly boundary: string; readonly team: string | null } | null;
  readonly disputeCount: number;
  readonly updatedAt: string | null;
}

/** Rules a commune may tune. */
export interface TicketPolicy {
  /** Days after resolution during which the reporter may dispute it. */
  readonly disputeWindowDays: number;
}

export const defaultTicketPolicy: TicketPolicy = { disputeWindowDays: 14 };

export const initialState = (): Ticket => ({
  status: 'none',
  ticketId: null,
  communeId: null,
  quartierId: null,
  category: null,
  subcategory: null,
  priority: 'normal',
  teamId: null,
  agentId: null,
  location: null,
  landmark: null,
  description: null,
  mediaIds: [],
  reporterId: null,
  contactSubjectId: null,
  anonymous: false,
  confidential: false,
  channel: null,
  confirmations: [],
  noteIds: [],
  clientTime: null,
  about: null,
  reportedAt: null,
  triagedAt: null,
  assignedAt: null,
  workStartedAt: null,
  acknowledgedAt: null,
  resolvedAt: null,
  resolution: null,
  closedAt: null,
  rejection: null,
  duplicateOf: null,
  markedDuplicateAt: null,
  routingRule: null,
  disputeCount: 0,
  updatedAt: null,
});

/** Applies one event; returns a new ticket and never mutates the one given. */
export function evolve(ticket: Ticket, event: TicketEvent): Ticket {
  switch (event.type) {
    case 'TicketReported': {
      const d = event.data;
      return {
        ...ticket,
        status: 'new',
        ticketId: d.ticketId,
        category: d.category,
        subcategory: d.subcategory,
        description: d.description,
        location: d.location,
        landmark: d.landmark,
        mediaIds: d.mediaIds,
        reporterId: d.reporterId,
        contactSubjectId: d.contactSubjectId,
        anonymous: d.anonymous,
        confidential: d.confidential,
        channel: d.channel,
        clientTime: d.clientTime,
        about: d.about,
        reportedAt: d.reportedAt,
        updatedAt: d.reportedAt,
      };
    }
    case 'TicketRouted': {
      const d = event.data;
      return {
        ...ticket,
        communeId: d.communeId,
        quartierId: d.quartierId,
        teamId: d.teamId,
        routingRule: d.rule,
        updatedAt: d.routedAt,
      };
    }
    case 'TicketConfirmed': {
      const d = event.data;
      if (ticket.confirmations.includes(d.citizenId)) return { ...ticket, updatedAt: d.confirmedAt };
      return { ...ticket, confirmations: [...ticket.confirmations, d.citizenId], updatedAt: d.confirmedAt };
    }
    case 'TicketTriaged': {
      const d = event.data;
      return {
        ...acknowledged(ticket, d.triagedAt),
        status: ticket.status === 'new' ? 'triaged' : ticket.status,
        category: d.category,
        subcategory: d.subcategory,
        priority: d.priority,
        triagedAt: ticket.triagedAt ?? d.triagedAt,
      };
    }
    case 'TicketAssigned': {
      const d = event.data;
      return {
        ...acknowledged(ticket, d.assignedAt),
        status: 'assigned',
        teamId: d.teamId,
        agentId: d.agentId,
        assignedAt: ticket.assignedAt ?? d.assignedAt,
      };
    }
    case 'TicketReassigned': {
      const d = event.data;
      return {
        ...acknowledged(ticket, d.reassignedAt),
        // The new assignee has not started yet; a disputed ticket stays visibly reopened until they do.
        status: ticket.status === 'reopened' ? 'reopened' : 'assigned',
        teamId: d.teamId,
        agentId: d.agentId,
        assignedAt: ticket.assignedAt ?? d.reassignedAt,
      };
    }
    case 'TicketWorkStarted': {
      const d = event.data;
      return {
        ...acknowledged(ticket, d.startedAt),
        status: 'in_progress',
        agentId: d.agentId ?? ticket.agentId,
        workStartedAt: ticket.workStartedAt ?? d.startedAt,
      };
    }
    case 'TicketNoteAdded': {
      const d = event.data;
      const base = d.visibility === 'public' && d.author === 'staff' ? acknowledged(ticket, d.addedAt) : { ...ticket, updatedAt: d.addedAt };
      return { ...base, noteIds: [...ticket.noteIds, d.noteId] };
    }
    case 'TicketResolved': {
      const d = event.data;
      return {
        ...acknowledged(ticket, d.resolvedAt),
        status: 'resolved',
        resolvedAt: d.resolvedAt,
        resolution: { note: d.note, mediaIds: d.mediaIds },
      };
    }
    case 'TicketResolutionConfirmed':
      return { ...ticket, updatedAt: event.data.confirmedAt };
    case 'TicketResolutionDisputed': {
      const d = event.data;
      return {
        ...ticket,
        status: 'reopened',
        resolvedAt: null,
        resolution: null,
        disputeCount: ticket.disputeCount + 1,
        updatedAt: d.disputedAt,
      };
    }
    case 'TicketClosed':
      return { ...ticket, status: 'closed', closedAt: event.data.closedAt, updatedAt: event.data.closedAt };
    case 'TicketRejected': {
      const d = event.data;
      return {
        ...acknowledged(ticket, d.rejectedAt),
        status: 'rejected',
        rejection: { reason: d.reason, note: d.note, rejectedAt: d.rejectedAt },
      };
    }
    case 'TicketMarkedDuplicate': {
      const d = event.data;
      return { ...acknowledged(ticket, d.markedAt), status: 'duplicate', duplicateOf: d.duplicateOf, markedDuplicateAt: d.markedAt };
    }
    default:
      return assertNever(event);
  }
}

/** Records a staff action: the first one acknowledges the report. */
function acknowledged(ticket: Ticket, at: string): Ticket {
  return { ...ticket, acknowledgedAt: ticket.acknowledgedAt ?? at, updatedAt: at };
}
