import { type TicketEvent, assertNever } from '@palabre/domain';

/** How one event reads in a ticket's history. */
export interface TimelineEntry {
  /** Stable key the clients translate (`ticket.assigned` → "Assigned to {teamId}" / "Affecté à {teamId}"). */
  readonly summary: string;
  /** Values for the summary; safe to show to whoever may see the row. */
  readonly data: Record<string, unknown>;
  /** Staff-only details of the same event (agents, previous assignees, routing rules). */
  readonly internal: Record<string, unknown>;
  readonly visibility: 'public' | 'internal';
  /** When it happened, from the event itself. */
  readonly at: string;
}

export function timelineEntry(event: TicketEvent): TimelineEntry {
  const pub = (summary: string, at: string, data: Record<string, unknown> = {}, internal: Record<string, unknown> = {}) =>
    ({ summary, data, internal, visibility: 'public', at }) as const;
  switch (event.type) {
    case 'TicketReported': {
      const d = event.data;
      return pub('ticket.reported', d.reportedAt, { category: d.category, subcategory: d.subcategory, channel: d.channel, anonymous: d.anonymous });
    }
    case 'TicketRouted': {
      const d = event.data;
      // Routing is how the commune organises itself; citizens see the assignment that follows.
      return {
        summary: 'ticket.routed',
        data: { communeId: d.communeId, quartierId: d.quartierId, teamId: d.teamId },
        internal: { rule: d.rule },
        visibility: 'internal',
        at: d.routedAt,
      };
    }
    case 'TicketConfirmed':
      return pub('ticket.confirmed', event.data.confirmedAt, {}, { citizenId: event.data.citizenId });
    case 'TicketTriaged': {
      const d = event.data;
      return pub('ticket.triaged', d.triagedAt, { category: d.category, subcategory: d.subcategory, priority: d.priority });
    }
    case 'TicketAssigned':
      return pub('ticket.assigned', event.data.assignedAt, { teamId: event.data.teamId }, { agentId: event.data.agentId });
    case 'TicketReassigned': {
      const d = event.data;
      return pub(
        'ticket.reassigned',
        d.reassignedAt,
        { teamId: d.teamId },
        { agentId: d.agentId, previousTeamId: d.previousTeamId, previousAgentId: d.previousAgentId },
      );
    }
    case 'TicketWorkStarted':
      return pub('ticket.work_started', event.data.startedAt, {}, { agentId: event.data.agentId });
    case 'TicketNoteAdded': {
      const d = event.data;
      return {
        summary: 'ticket.note_added',
        data: { noteId: d.noteId, text: d.text, author: d.author },
        internal: {},
        visibility: d.visibility,
        at: d.addedAt,
      };
    }
    case 'TicketResolved':
      return pub('ticket.resolved', event.data.resolvedAt, { note: event.data.note, mediaIds: event.data.mediaIds });
    case 'TicketResolutionConfirmed':
      return pub('ticket.resolution_confirmed', event.data.confirmedAt, { note: event.data.note });
    case 'TicketResolutionDisputed':
      return pub('ticket.resolution_disputed', event.data.disputedAt, { note: event.data.note });
    case 'TicketClosed':
      return pub('ticket.closed', event.data.closedAt, { note: event.data.note });
    case 'TicketRejected':
      return pub('ticket.rejected', event.data.rejectedAt, { reason: event.data.reason, note: event.data.note });
    case 'TicketMarkedDuplicate':
      return pub('ticket.marked_duplicate', event.data.markedAt, { duplicateOf: event.data.duplicateOf });
    default:
      return assertNever(event);
  }
}
