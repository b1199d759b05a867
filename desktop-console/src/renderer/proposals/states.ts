import type { AnswerStateDefinition } from '@palabre/domain';
import type { I18n } from '../i18n/i18n.js';
import { lifecycleStates } from './proposals-api.js';

/** A proposal's state in words: the commune's own label for an answer, ours for the rest of its life. */
export function proposalStateLabel(state: string, answerStates: readonly AnswerStateDefinition[], i18n: I18n): string {
  const answer = answerStates.find((s) => s.id === state);
  if (answer) return i18n.label(answer.labels, state);
  return (lifecycleStates as readonly string[]).includes(state) ? i18n.t(`proposal.state.${state as (typeof lifecycleStates)[number]}`) : state;
}

/** Every state a proposal of this commune may be in, for the filter: open first, then the answers, then the rest. */
export function proposalStates(answerStates: readonly AnswerStateDefinition[]): string[] {
  return ['open', ...answerStates.map((s) => s.id), 'hidden', 'withdrawn', 'merged'];
}
