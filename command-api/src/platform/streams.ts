import { Inject, Injectable } from '@nestjs/common';
import type { CommandMeta, Decider } from '@palabre/domain';
import { envelopesFor, type EventStore, type RecordedEvent, WrongExpectedRevisionError } from '@palabre/event-store';
import { currentTraceContext, metrics, withSpan } from '@palabre/observability';
import { ProblemError } from '../http/problem.js';
import { homeCommune, type Principal } from './principal.js';
import { type Clock, CLOCK, EVENT_STORE } from './tokens.js';

/** An aggregate loaded from its stream: folded state, revision (-1 before any event) and the raw events. */
export interface Loaded<S> {
  readonly state: S;
  readonly revision: number;
  readonly events: readonly RecordedEvent[];
}

export interface StreamOutcome<S = unknown> {
  readonly id: string;
  /** The aggregate after the command, folded from what was read and appended (no second read). */
  readonly state: S;
  /** Stream revision after the command (unchanged when the command changed nothing). */
  readonly revision: number;
  readonly eventTypes: readonly string[];
}

/** One command on one aggregate, as the edge describes it to the executor. */
export interface StreamCommand<C, S> {
  /** The command's name, for spans and metrics. */
  readonly name: string;
  /** The aggregate's id (the decider names its stream). */
  readonly id: string;
  readonly commandId: string;
  readonly correlationId: string;
  /** The revision the caller decided on (HTTP If-Match); `undefined` re-decides on a conflict, a few times. */
  readonly expectedRevision?: number;
  /** Builds and validates the domain command once the edge's identity, tenancy and time are known. */
  build(meta: CommandMeta): C;
  /** Refuses (404, 403) a principal who may not act on this aggregate, before anything is decided. */
  admit?(loaded: Loaded<S>): void;
  /** The commune stamped on the events' metadata (tenancy of the log and its exports). */
  communeOf(state: S, command: C): string | null;
  /** The command usually starts the stream: try appending at no_stream without reading first. */
  startsStream?: boolean;
  /** Who the events name as their actor; the principal by default. A ballot names only the voter's pseudonym. */
  readonly actor?: CommandMeta['actor'];
}

const CONFLICT_RETRIES = 3;

/**
 * The one way every module executes a command: load the stream, fold it with the decider, answer a
 * retried command id as the first time, check If-Match, decide, append at the revision decided on.
 */
@Injectable()
export class Streams {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load<C, E, S>(decider: Decider<C, E, S>, id: string): Promise<Loaded<S>> {
    const events = await this.store.readStream(decider.streamId(id));
    const state = events.reduce(
      (folded, e) => decider.evolve(folded, decider.parseEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion })),
      decider.initialState(),
    );
    return { state, revision: events.length - 1, events };
  }

  execute<C, E extends { type: string; data: unknown }, S>(decider: Decider<C, E, S>, principal: Principal, command: StreamCommand<C, S>): Promise<StreamOutcome<S>> {
    return withSpan(`command ${command.name}`, { 'palabre.command': command.name, 'palabre.command_id': command.commandId }, async () => {
      const started = performance.now();
      try {
        const outcome = await this.executeWithRetries(decider, principal, command);
        metrics.commandExecuted(command.name, 'accepted', performance.now() - started);
        return outcome;
      } catch (error) {
        metrics.commandExecuted(command.name, error instanceof ProblemError ? error.code : 'rejected', performance.now() - started);
        throw error;
      }
    });
  }

  private async executeWithRetries<C, E extends { type: string; data: unknown }, S>(decider: Decider<C, E, S>, principal: Principal, command: StreamCommand<C, S>): Promise<StreamOutcome<S>> {
    if (command.startsStream) {
      // Decide on the empty aggregate and append at no_stream without reading: a retry is answered by
      // the store itself (same event ids at the same expectation); anything else falls back below.
      try {
        return await this.executeOnce(decider, principal, command, true);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.executeOnce(decider, principal, command);
      } catch (error) {
        const retry = command.expectedRevision === undefined && error instanceof WrongExpectedRevisionError && attempt < CONFLICT_RETRIES;
        if (!retry) throw error;
      }
    }
  }

  private async executeOnce<C, E extends { type: string; data: unknown }, S>(
    decider: Decider<C, E, S>,
    principal: Principal,
    command: StreamCommand<C, S>,
    assumeNewStream = false,
  ): Promise<StreamOutcome<S>> {
    const { id } = command;
    const loaded: Loaded<S> = assumeNewStream ? { state: decider.initialState(), revision: -1, events: [] } : await this.load(decider, id);
    if (!assumeNewStream) command.admit?.(loaded);

    // A retried command (same id) already in the stream: answer as the first time did.
    const earlier = loaded.events.filter((e) => e.metadata.commandId === command.commandId);
    if (earlier.length > 0) return { id, state: loaded.state, revision: earlier.at(-1)!.revision, eventTypes: earlier.map((e) => e.type) };
    if (command.expectedRevision !== undefined && command.expectedRevision !== loaded.revision) {
      throw new WrongExpectedRevisionError(decider.streamId(id), command.expectedRevision, loaded.revision < 0 ? 'no_stream' : loaded.revision);
    }

    const now = this.clock().toISOString();
    const meta: CommandMeta = { commandId: command.commandId, now, actor: command.actor ?? { id: principal.id, role: principal.role }, communeId: homeCommune(principal) };
    const domainCommand = command.build(meta);
    const events = decider.decide(domainCommand, loaded.state);
    if (events.length === 0) return { id, state: loaded.state, revision: loaded.revision, eventTypes: [] };

    const result = await this.store.append(
      decider.streamId(id),
      envelopesFor(
        events,
        {
          commandId: command.commandId,
          correlationId: command.correlationId,
          actor: meta.actor,
          communeId: command.communeOf(loaded.state, domainCommand),
          recordedAt: now,
          ...currentTraceContext(),
        },
        (type) => decider.eventVersions[type]!,
      ),
      loaded.revision < 0 ? 'no_stream' : loaded.revision,
    );
    metrics.eventsAppended(events.length, 'postgres');
    return { id, state: events.reduce(decider.evolve, loaded.state), revision: result.nextRevision, eventTypes: events.map((e) => e.type) };
  }
}
