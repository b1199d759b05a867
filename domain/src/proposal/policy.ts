import type { IdentityLevel } from '../consultation/events.js';
import type { Labels } from '../reference/types.js';

/** An answer a commune gives; communes name their own (Decidim does too). */
export interface AnswerStateDefinition {
  readonly id: string;
  readonly labels: Labels;
  /** The proposal's life as a proposal ends: no more supports, no more edits (accepted, rejected…). */
  readonly final: boolean;
  /** The answer must explain itself (a rejection says why). */
  readonly needsText: boolean;
  /** The answer states the commune's cost estimate. */
  readonly needsCost: boolean;
}

/** How a commune runs proposals: a decision, stated and recorded like routing and SLAs are. */
export interface ProposalPolicy {
  /** Supports after which the commune must answer in public. */
  readonly supportThreshold: number;
  /** Days the commune gives itself to answer, counted from the support that reached the threshold. */
  readonly answerDays: number;
  /** Flags from distinct citizens that hide a proposal until a moderator reviews it. */
  readonly flagsToHide: number;
  /** The identity level a citizen needs to support (and to propose). */
  readonly supportLevel: IdentityLevel;
  readonly answerStates: readonly AnswerStateDefinition[];
}

export const defaultAnswerStates: readonly AnswerStateDefinition[] = [
  { id: 'under_study', labels: { fr: 'À l’étude', en: 'Under study' }, final: false, needsText: true, needsCost: true },
  { id: 'accepted', labels: { fr: 'Acceptée', en: 'Accepted' }, final: true, needsText: true, needsCost: false },
  { id: 'already_planned', labels: { fr: 'Déjà prévue', en: 'Already planned' }, final: true, needsText: true, needsCost: false },
  { id: 'rejected', labels: { fr: 'Rejetée', en: 'Rejected' }, final: true, needsText: true, needsCost: false },
];

export const defaultProposalPolicy: ProposalPolicy = {
  supportThreshold: 100,
  answerDays: 30,
  flagsToHide: 5,
  supportLevel: 'phone',
  answerStates: defaultAnswerStates,
};

export interface AnswerDeadline {
  /** When the threshold was reached; null while it is not. */
  readonly reachedAt: string | null;
  /** When the answer is due; null while the threshold is not reached. */
  readonly answerBy: string | null;
  /** Due and not answered by then (or answered after it). */
  readonly breached: boolean;
}

/**
 * The answer's deadline, derived at any time from the moment the threshold was reached and the
 * first answer (none yet: null), like a ticket's SLA: nothing to store, a breach shows as soon as it is one.
 */
export function answerDeadline(policy: ProposalPolicy, reachedAt: string | null, answeredAt: string | null, now: string): AnswerDeadline {
  if (reachedAt === null) return { reachedAt: null, answerBy: null, breached: false };
  const answerBy = new Date(Date.parse(reachedAt) + policy.answerDays * 86_400_000).toISOString();
  const when = answeredAt ?? now;
  return { reachedAt, answerBy, breached: Date.parse(when) > Date.parse(answerBy) };
}
