import { Injectable } from '@nestjs/common';
import { parseTicketCommand, type Ticket, type TicketCommand, type TicketCommandType, ticketDecider } from '@palabre/domain';
import type { RecordedEvent } from '@palabre/event-store';
import { ProblemError } from '../http/problem.js';
import { canSeeCommune, type Principal } from '../platform/principal.js';
import { type Loaded, Streams } from '../platform/streams.js';

/** A loaded ticket: its folded state, its revision (-1 before any event) and the raw events. */
export interface LoadedTicket {
  readonly ticket: Ticket;
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

export interface CommandOutcome {
  readonly ticketId: string;
  /** Stream revision after the command (unchanged when the command changed nothing). */
  readonly revision: number;
  readonly eventTypes: readonly string[];
}

export interface ExecuteOptions {
  /** The revision the caller decided on (HTTP If-Match); `undefined` for citizen actions, which re-decide on conflict. */
  readonly expectedRevision?: number;
  readonly commandId: string;
  readonly correlationId: string;
}

/** Tickets on the shared executor (platform/streams.ts): what is theirs is who may see one and which commune it belongs to. */
@Injectable()
export class TicketStreams {
  constructor(private readonly streams: Streams) {}

  async load(ticketId: string): Promise<LoadedTicket> {
    return asTicket(await this.streams.load(ticketDecider, ticketId));
  }

  /** Loads a ticket the principal may see, or 404 (a ticket of another commune is not even admitted to exist). */
  async loadVisible(ticketId: string, principal: Principal): Promise<LoadedTicket> {
    const loaded = await this.load(ticketId);
    admitViewer(principal, loaded.ticket, ticketId);
    return loaded;
  }

  async execute<T extends TicketCommandType>(type: T, data: unknown, principal: Principal, options: ExecuteOptions): Promise<CommandOutcome> {
    const ticketId = (data as { ticketId: string }).ticketId;
    const isReport = type === 'SubmitReport';
    const outcome = await this.streams.execute(ticketDecider, principal, {
      name: type,
      id: ticketId,
      ...options,
      startsStream: isReport,
      build: (meta) => parseTicketCommand(type, data, meta) as TicketCommand,
      // A report may land on an existing stream only as a retry; every other command needs a ticket the principal sees.
      admit: isReport ? undefined : (loaded) => admitViewer(principal, loaded.state, ticketId),
      communeOf: (ticket, command) => ticket.communeId ?? (command.type === 'SubmitReport' ? command.data.routing.communeId : null),
    });
    return { ticketId: outcome.id, revision: outcome.revision, eventTypes: outcome.eventTypes };
  }
}

const asTicket = (loaded: Loaded<Ticket>): LoadedTicket => ({ ticket: loaded.state, revision: loaded.revision, events: loaded.events });

function admitViewer(principal: Principal, ticket: Ticket, ticketId: string): void {
  if (ticket.status === 'none' || !mayView(principal, ticket)) {
    throw new ProblemError(404, 'ticket.not_found', `No ticket ${ticketId} that you may see.`);
  }
}

/** Staff see their communes' tickets; citizens see public tickets and their own confidential ones. */
export function mayView(principal: Principal, ticket: Ticket): boolean {
  if (principal.kind === 'staff') return canSeeCommune(principal, ticket.communeId);
  return !ticket.confidential || ticket.reporterId === principal.id;
}
