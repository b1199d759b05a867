import type { IdentityLevel } from '../consultation/events.js';
import type { Labels } from '../shared/labels.js';

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

/** What a commune sets for itself; anything it leaves out is the default's. */
export type ProposalPolicySettings = Partial<ProposalPolicy>;

/** The policy a commune runs: its own settings over the default. */
export function proposalPolicyOf(settings: ProposalPolicySettings | null | undefined): ProposalPolicy {
  return { ...defaultProposalPolicy, ...(settings ?? {}) };
}

/** What is wrong with a commune's settings (none: an empty list), each naming the setting. */
export function proposalPolicyProblems(settings: ProposalPolicySettings): string[] {
  const problems: string[] = [];
  for (const key of ['supportThreshold', 'answerDays', 'flagsToHide'] as const) {
    const value = settings[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) problems.push(`${key} must be a whole number of at least 1, not ${String(value)}`);
  }
  if (settings.answerStates !== undefined) {
    const ids = settings.answerStates.map((s) => s.id);
    if (ids.length === 0) problems.push('answerStates needs at least one state');
    if (new Set(ids).size !== ids.length) problems.push(`answerStates repeats a state (${ids.join(', ')})`);
    for (const s of settings.answerStates) {
      if (!/^[a-z][a-z0-9_]*$/.test(s.id)) problems.push(`answer state "${s.id}" must be lower case letters, digits and _`);
      if (!s.labels?.fr || !s.labels?.en) problems.push(`answer state "${s.id}" needs a French and an English label`);
    }
  }
  return problems;
}

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
export function answerDeadline(policy: Pick<ProposalPolicy, 'answerDays'>, reachedAt: string | null, answeredAt: string | null, now: string): AnswerDeadline {
  if (reachedAt === null) return { reachedAt: null, answerBy: null, breached: false };
  const answerBy = new Date(Date.parse(reachedAt) + policy.answerDays * 86_400_000).toISOString();
  const when = answeredAt ?? now;
  return { reachedAt, answerBy, breached: Date.parse(when) > Date.parse(answerBy) };
}
