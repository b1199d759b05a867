import type { StoredEventData } from './upcasting.js';

/** An event as the log hands it back, before upcasting and validation. */
export type RawEvent = StoredEventData;

/**
 * What every aggregate exports, and nothing more: the one executor at the edge loads a stream
 * with `streamId`, folds it with `parseEvent` and `evolve`, calls `decide`, and appends the
 * result stamped with `eventVersions`.
 */
export interface Decider<C, E, S> {
  /** The stream holding one aggregate's events, from its id. */
  streamId(id: string): string;
  initialState(): S;
  /** The events a command produces, or a DomainRuleError saying why not. Pure: `now` and actor come in the command. */
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  /** Reads a stored event: upcasts it to the current version, then validates it with zod. */
  parseEvent(raw: RawEvent): E;
  /** Current schema version per event type: what new events are written with. */
  readonly eventVersions: Readonly<Record<string, number>>;
}

/** Folds events into state with a decider: what loading a stream does once events are parsed. */
export function fold<C, E, S>(decider: Pick<Decider<C, E, S>, 'initialState' | 'evolve'>, events: readonly E[]): S {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
