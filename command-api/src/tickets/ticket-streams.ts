import { Inject, Injectable } from '@nestjs/common';
import {
  type CommandMeta,
  decide,
  evolve,
  initialState,
  parseTicketCommand,
  parseTicketEvent,
  type Ticket,
  type TicketCommand,
  type TicketCommandType,
  ticketEventVersions,
  ticketStreamId,
} from '@palabre/domain';
import { envelopesFor, type EventStore, type RecordedEvent, WrongExpectedRevisionError } from '@palabre/event-store';
import { currentTraceContext, metrics, withSpan } from '@palabre/observability';
import { ProblemError } from '../http/problem.js';
import { canSeeCommune, homeCommune, type Principal } from '../platform/principal.js';
import { type Clock, CLOCK, EVENT_STORE } from '../platform/tokens.js';

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

const CITIZEN_RETRIES = 3;

/** The thin path every ticket command takes: load the stream, decide, append at the revision decided on. */
@Injectable()
export class TicketStreams {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(ticketId: string): Promise<LoadedTicket> {
    const events = await this.store.readStream(ticketStreamId(ticketId));
    const ticket = events.reduce(
      (state, e) => evolve(state, parseTicketEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion })),
      initialState(),
    );
    return { ticket, revision: events.length - 1, events };
  }

  /** Loads a ticket the principal may see, or 404 (a ticket of another commune is not even admitted to exist). */
  async loadVisible(ticketId: string, principal: Principal): Promise<LoadedTicket> {
    const loaded = await this.load(ticketId);
    if (loaded.ticket.status === 'none' || !mayView(principal, loaded.ticket)) {
      throw new ProblemError(404, 'ticket.not_found', `No ticket ${ticketId} that you may see.`);
    }
    return loaded;
  }

  async execute<T extends TicketCommandType>(
    type: T,
    data: unknown,
    principal: Principal,
    options: ExecuteOptions,
  ): Promise<CommandOutcome> {
    return withSpan(`command ${type}`, { 'palabre.command': type, 'palabre.command_id': options.commandId }, async () => {
      const started = performance.now();
      try {
        const outcome = await this.executeWithRetries(type, data, principal, options);
        metrics.commandExecuted(type, 'accepted', performance.now() - started);
        return outcome;
      } catch (error) {
        metrics.commandExecuted(type, error instanceof ProblemError ? error.code : 'rejected', performance.now() - started);
        throw error;
      }
    });
  }

  private async executeWithRetries<T extends TicketCommandType>(
    type: T,
    data: unknown,
    principal: Principal,
    options: ExecuteOptions,
  ): Promise<CommandOutcome> {
    if (type === 'SubmitReport') {
      // A report starts a stream: decide on the empty ticket and append at no_stream without reading.
      // A retry of the same report is answered by the store itself (same event ids at the same
      // expectation); anything else already there falls back to the full path below.
      try {
        return await this.executeOnce(type, data, principal, options, true);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.executeOnce(type, data, principal, options);
      } catch (error) {
        // A citizen's "me too" or dispute carries no If-Match: decide again on the fresh state.
        const retry = options.expectedRevision === undefined && error instanceof WrongExpectedRevisionError && attempt < CITIZEN_RETRIES;
        if (!retry) throw error;
      }
    }
  }

  private async executeOnce<T extends TicketCommandType>(
    type: T,
    data: unknown,
    principal: Principal,
    options: ExecuteOptions,
    assumeNewStream = false,
  ): Promise<CommandOutcome> {
    const ticketId = (data as { ticketId: string }).ticketId;
    const isReport = type === 'SubmitReport';
    const loaded: LoadedTicket = assumeNewStream
      ? { ticket: initialState(), revision: -1, events: [] }
      : isReport
        ? await this.load(ticketId)
        : await this.loadVisible(ticketId, principal);

    // A retried command (same id) already in the stream: answer as the first time did.
    const earlier = loaded.events.filter((e) => e.metadata.commandId === options.commandId);
    if (earlier.length > 0) {
      return { ticketId, revision: earlier.at(-1)!.revision, eventTypes: earlier.map((e) => e.type) };
    }
    if (options.expectedRevision !== undefined && options.expectedRevision !== loaded.revision) {
      throw new WrongExpectedRevisionError(ticketStreamId(ticketId), options.expectedRevision, loaded.revision < 0 ? 'no_stream' : loaded.revision);
    }

    const now = this.clock().toISOString();
    const meta: CommandMeta = { commandId: options.commandId, now, actor: { id: principal.id, role: principal.role }, communeId: homeCommune(principal) };
    const command = parseTicketCommand(type, data, meta);
    const events = decide(command as TicketCommand, loaded.ticket);
    if (events.length === 0) return { ticketId, revision: loaded.revision, eventTypes: [] };

    const communeId = loaded.ticket.communeId ?? (isReport ? (command.data as { routing: { communeId: string } }).routing.communeId : null);
    const result = await this.store.append(
      ticketStreamId(ticketId),
      envelopesFor(
        events,
        { commandId: options.commandId, correlationId: options.correlationId, actor: meta.actor, communeId, recordedAt: now, ...currentTraceContext() },
        (type) => ticketEventVersions[type as keyof typeof ticketEventVersions],
      ),
      loaded.revision < 0 ? 'no_stream' : loaded.revision,
    );
    metrics.eventsAppended(events.length, 'postgres');
    return { ticketId, revision: result.nextRevision, eventTypes: events.map((e) => e.type) };
  }
}

/** Staff see their communes' tickets; citizens see public tickets and their own confidential ones. */
export function mayView(principal: Principal, ticket: Ticket): boolean {
  if (principal.kind === 'staff') return canSeeCommune(principal, ticket.communeId);
  return !ticket.confidential || ticket.reporterId === principal.id;
}
