import type { Decider } from '../shared/decider.js';
import { DomainRuleError, assertNever } from '../shared/errors.js';
import type { TicketCommand, TicketCommandOf } from './commands.js';
import { type TicketEvent, ticketEventVersions, ticketStreamId } from './events.js';
import { requireReporter, requireRole, requireSameCommune } from './permissions.js';
import { type Ticket, type TicketPolicy, defaultTicketPolicy, evolve, initialState } from './state.js';
import { parseTicketEvent } from './upcasting.js';

const dayMs = 86_400_000;

/** Decides which events a command produces on a ticket, or throws a DomainRuleError saying why not. */
export function decide(command: TicketCommand, ticket: Ticket, policy: TicketPolicy = defaultTicketPolicy): TicketEvent[] {
  const { meta } = command;
  const now = meta.now;
  switch (command.type) {
    case 'SubmitReport':
      return submitReport(command, ticket);

    case 'ConfirmReport': {
      const { ticketId, citizenId } = command.data;
      requireExists(ticket, ticketId);
      requireRole(meta, 'confirmReport', 'confirm a report');
      if (meta.actor.role === 'citizen' && meta.actor.id !== citizenId) {
        throw new DomainRuleError('ticket.forbidden', 'A citizen may only confirm a problem in their own name.');
      }
      requireSameCommune(meta, ticket);
      if (citizenId === ticket.reporterId) {
        throw new DomainRuleError('ticket.own_report', 'You reported this problem yourself; it already counts for you.');
      }
      // Offline phones retry: a second "me too" from the same citizen changes nothing.
      if (ticket.confirmations.includes(citizenId)) return [];
      requireUnfinished(ticket, 'confirmed');
      return [{ type: 'TicketConfirmed', data: { ticketId, citizenId, confirmedAt: now } }];
    }

    case 'TriageTicket': {
      const { ticketId } = command.data;
      requireExists(ticket, ticketId);
      requireRole(meta, 'triage', 'triage a ticket');
      requireSameCommune(meta, ticket);
      requireUnfinished(ticket, 'triaged');
      requireNotResolved(ticket, 'triaged');
      const category = command.data.category ?? ticket.category ?? '';
      const subcategory =
        command.data.subcategory !== undefined ? command.data.subcategory : category === ticket.category ? ticket.subcategory : null;
      const priority = command.data.priority;
      const unchanged = category === ticket.category && subcategory === ticket.subcategory && priority === ticket.priority;
      if (ticket.status !== 'new' && unchanged) return [];
      return [{ type: 'TicketTriaged', data: { ticketId, category, subcategory, priority, triagedAt: now } }];
    }

    case 'AssignTicket': {
      const { ticketId, teamId, agentId } = command.data;
      requireExists(ticket, ticketId);
      requireRole(meta, 'assign', 'assign a ticket');
      requireSameCommune(meta, ticket);
      requireUnfinished(ticket, 'assigned');
      requireNotResolved(ticket, 'assigned');
      if (ticket.assignedAt === null) {
        return [{ type: 'TicketAssigned', data: { ticketId, teamId, agentId, assignedAt: now } }];
      }
      if (teamId === ticket.teamId && agentId === ticket.agentId) return [];
      return [
        {
          type: 'TicketReassigned',
          data: { ticketId, teamId, agentId, previousTeamId: ticket.teamId, previousAgentId: ticket.agentId, reassignedAt: now },
        },
      ];
    }

    case 'StartWork': {
      const { ticketId } = command.data;
      requireExists(ticket, ticketId);
      requireRole(meta, 'work', 'start work on a ticket');
      requireSameCommune(meta, ticket);
      requireUnfinished(ticket, 'worked on');
      requireNotResolved(ticket, 'worked on');
      requireAssigned(ticket, 'work can start');
      if (ticket.status === 'in_progress') return [];
      // The agent who actually starts is the one working it.
      const agentId = meta.actor.role === 'field_agent' ? meta.actor.id : ticket.agentId;
      return [{ type: 'TicketWorkStarted', data: { ticketId, agentId, startedAt: now } }];
    }

    case 'AddNote': {
      const { ticketId, noteId, text, visibility } = command.data;
      requireExists(ticket, ticketId);
      if (visibility === 'internal') requireRole(meta, 'internalNote', 'add an internal note');
      else requireRole(meta, 'publicNote', 'add a note');
      const author = meta.actor.role === 'citizen' ? 'citizen' : 'staff';
      if (author === 'citizen' && meta.actor.id !== ticket.reporterId && !ticket.confirmations.includes(meta.actor.id)) {
        throw new DomainRuleError('ticket.forbidden', 'A citizen may only comment on a problem they reported or confirmed.');
      }
      requireSameCommune(meta, ticket);
      if (ticket.noteIds.includes(noteId)) return [];
      // Notes stay possible on finished tickets: explaining a closure or a rejection is part of the job.
      return [{ type: 'TicketNoteAdded', data: { ticketId, noteId, text, visibility, author, addedAt: now } }];
    }

    case 'ResolveTicket': {
      const { ticketId, note, mediaIds } = command.data;
      requireExists(ticket, ticketId);
      requireRole(meta, 'work', 'resolve a ticket');
      requireSameCommune(meta, ticket);
      requireUnfinished(ticket, 'resolved');
      if (ticket.status === 'resolved') {
        throw new DomainRuleError('ticket.resolved', `Ticket ${ticketId} is already resolved and awaits the reporter's confirmation.`);
      }
      requireAssigned(ticket, 'it can be resolved');
      return [{ type: 'TicketResolved', data: { ticketId, note, mediaIds, resolvedAt: now } }];
    }

    case 'ConfirmResolution': {
      const { ticketId, note } = command.data;
      requireExists(ticket, ticketId);
      requireReporter(meta, ticket, 'confirm that it is fixed');
      requireUnfinished(ticket, 'confirmed');
      requireResolved(ticket, 'confirm the fix');
      return [
        { type: 'TicketResolutionConfirmed', data: { ticketId, note, confirmedAt: now } },
        { type: 'TicketClosed', data: { ticketId, note: null, closedAt: now } },
      ];
    }

    case 'DisputeResolution': {
      const { ticketId, note } = command.data;
      requireExists(ticket, ticketId);
      requireReporter(meta, ticket, 'dispute the fix');
      requireUnfinished(ticket, 'disputed');
      requireResolved(ticket, 'dispute the fix');
      const elapsedMs = Date.parse(now) - Date.parse(ticket.resolvedAt ?? now);
      if (elapsedMs > policy.disputeWindowDays * dayMs) {
        throw new DomainRuleError(
          'ticket.dispute_window_closed',
          `A fix can be disputed within ${policy.disputeWindowDays} days of its resolution; that period is over for ticket ${ticketId}. Please file a new report.`,
        );
      }
      return [{ type: 'TicketResolutionDisputed', data: { ticketId, note, disputedAt: now } }];
    }

    case 'CloseTicket': {
      const { ticketId, note } = command.data;
      requireExists(ticket, ticketId);
      requireRole(meta, 'close', 'close a ticket');
      requireSameCommune(meta, ticket);
      requireUnfinished(ticket, 'closed');
      requireResolved(ticket, 'close it; reject it instead if it will not be handled');
      return [{ type: 'TicketClosed', data: { ticketId, note, closedAt: now } }];
    }

    case 'RejectTicket': {
      const { ticketId, reason, note } = command.data;
      requireExists(ticket, ticketId);
      requireRole(meta, 'reject', 'reject a ticket');
      requireSameCommune(meta, ticket);
      requireUnfinished(ticket, 'rejected');
      requireNotResolved(ticket, 'rejected');
      return [{ type: 'TicketRejected', data: { ticketId, reason, note, rejectedAt: now } }];
    }

    case 'MarkDuplicate': {
      const { ticketId, duplicateOf } = command.data;
      requireExists(ticket, ticketId);
      requireRole(meta, 'reject', 'mark a ticket as a duplicate');
      requireSameCommune(meta, ticket);
      if (duplicateOf === ticketId) {
        throw new DomainRuleError('ticket.duplicate_of_itself', 'A ticket cannot be a duplicate of itself; choose the original ticket.');
      }
      requireUnfinished(ticket, 'marked as a duplicate');
      requireNotResolved(ticket, 'marked as a duplicate');
      return [{ type: 'TicketMarkedDuplicate', data: { ticketId, duplicateOf, markedAt: now } }];
    }

    default:
      return assertNever(command);
  }
}

function submitReport(command: TicketCommandOf<'SubmitReport'>, ticket: Ticket): TicketEvent[] {
  const { meta, data } = command;
  if (ticket.status !== 'none') {
    throw new DomainRuleError('ticket.already_reported', `Ticket ${data.ticketId} already exists; a report is filed only once.`);
  }
  requireRole(meta, 'report', 'file a report');
  if (meta.actor.role === 'citizen' && data.reporterId !== meta.actor.id) {
    throw new DomainRuleError('ticket.forbidden', 'A citizen may only report a problem in their own name.');
  }
  return [
    {
      type: 'TicketReported',
      data: {
        ticketId: data.ticketId,
        category: data.category,
        subcategory: data.subcategory,
        description: data.description,
        location: data.location,
        landmark: data.landmark,
        mediaIds: data.mediaIds,
        reporterId: data.reporterId,
        contactSubjectId: data.contactSubjectId,
        anonymous: data.anonymous,
        confidential: data.confidential,
        channel: data.channel,
        clientTime: data.clientTime,
        about: data.about,
        reportedAt: meta.now,
      },
    },
    {
      type: 'TicketRouted',
      data: {
        ticketId: data.ticketId,
        communeId: data.routing.communeId,
        quartierId: data.routing.quartierId,
        teamId: data.routing.teamId,
        rule: data.routing.rule,
        routedAt: meta.now,
      },
    },
  ];
}

function requireExists(ticket: Ticket, ticketId: string): void {
  if (ticket.status === 'none') throw new DomainRuleError('ticket.not_found', `There is no ticket ${ticketId}.`);
}

/** Closed, rejected and duplicate tickets are finished; each refusal says which. */
function requireUnfinished(ticket: Ticket, action: string): void {
  const id = ticket.ticketId ?? '';
  if (ticket.status === 'closed') throw new DomainRuleError('ticket.closed', `Ticket ${id} is closed; it cannot be ${action}.`);
  if (ticket.status === 'rejected') throw new DomainRuleError('ticket.rejected', `Ticket ${id} was rejected; it cannot be ${action}.`);
  if (ticket.status === 'duplicate') {
    throw new DomainRuleError(
      'ticket.duplicate',
      `Ticket ${id} is a duplicate of ticket ${ticket.duplicateOf ?? ''}; it cannot be ${action}. Work on the original instead.`,
    );
  }
}

function requireNotResolved(ticket: Ticket, action: string): void {
  if (ticket.status === 'resolved') {
    throw new DomainRuleError(
      'ticket.resolved',
      `Ticket ${ticket.ticketId ?? ''} is resolved and awaits the reporter's confirmation; it cannot be ${action}.`,
    );
  }
}

function requireResolved(ticket: Ticket, action: string): void {
  if (ticket.status !== 'resolved') {
    throw new DomainRuleError('ticket.not_resolved', `Ticket ${ticket.ticketId ?? ''} is not resolved yet, so you cannot ${action}.`);
  }
}

function requireAssigned(ticket: Ticket, what: string): void {
  if (ticket.assignedAt === null) {
    throw new DomainRuleError('ticket.not_assigned', `Ticket ${ticket.ticketId ?? ''} must be assigned to a team before ${what}.`);
  }
}

/** Folds a stream's events into the current ticket. */
export const replay = (events: readonly TicketEvent[]): Ticket => events.reduce(evolve, initialState());

/** The ticket aggregate as the engine sees it; `decide` here applies the default policy unless given one. */
export const ticketDecider = {
  streamId: ticketStreamId,
  initialState,
  decide,
  evolve,
  parseEvent: parseTicketEvent,
  eventVersions: ticketEventVersions,
} as const satisfies Decider<TicketCommand, TicketEvent, Ticket>;
