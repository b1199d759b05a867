import { expect } from 'vitest';
import type { Decider } from '../shared/decider.js';
import { DomainRuleError } from '../shared/errors.js';

export interface Outcome<E, S> {
  then(expected: E[]): void;
  /** Expects a DomainRuleError with this stable code and a readable sentence; returns it for further checks. */
  thenThrows(code: string): DomainRuleError;
  /** The state after the command's events, for asserting on state. */
  thenState(): S;
}

export interface Scenario<C, E, S> {
  when(command: C): Outcome<E, S>;
}

type Deciding<C, E, S> = Pick<Decider<C, E, S>, 'initialState' | 'decide' | 'evolve'>;

/** Builds `given(history).when(command).then(events)` for any decider: the shape of every decider test. */
export function scenariosOf<C extends { type: string }, E, S>(decider: Deciding<C, E, S>): (history: readonly E[]) => Scenario<C, E, S> {
  const replay = (events: readonly E[]) => events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
  return (history) => ({
    when(command) {
      const run = () => decider.decide(command, replay(history));
      return {
        then(expected) {
          expect(run()).toEqual(expected);
        },
        thenThrows(code) {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught, `expected ${command.type} to be refused with ${code}`).toBeInstanceOf(DomainRuleError);
          const error = caught as DomainRuleError;
          expect(error.code).toBe(code);
          expect(error.message.length).toBeGreaterThan(10);
          return error;
        },
        thenState() {
          return replay([...history, ...run()]);
        },
      };
    },
  });
}

/** The events a sequence of accepted commands leaves in a stream, through any decider. */
export function historyThrough<C, E, S>(decider: Deciding<C, E, S>, commands: readonly C[]): E[] {
  const events: E[] = [];
  for (const c of commands) events.push(...decider.decide(c, events.reduce((s, e) => decider.evolve(s, e), decider.initialState())));
  return events;
}
