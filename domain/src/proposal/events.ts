import { z } from 'zod';
import { idSchema } from '../shared/command.js';
import { createEventParser, firstVersions, type StoredEventData, UpcasterRegistry } from '../shared/upcasting.js';

const at = z.iso.datetime({ offset: true });
const point = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });

/** Who proposes: a resident in their own name, or a committee or group on whose behalf an agent files it. */
export const authorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('citizen'), citizenId: idSchema }),
  z.object({ kind: z.literal('group'), name: z.string().trim().min(2).max(200), filedBy: idSchema }),
]);
export type ProposalAuthor = z.infer<typeof authorSchema>;

/** What a proposal says; an edit by its author (before its first support) replaces all of it. */
export const proposalContentSchema = z.object({
  title: z.string().trim().min(5).max(200),
  description: z.string().trim().min(10).max(5000),
  category: idSchema,
  /** A point on the map, a quartier, or both; at least one. */
  location: point.nullable(),
  quartierId: idSchema.nullable(),
  mediaIds: z.array(idSchema).max(10),
  /** The author's estimate, in francs CFA; the commune's own comes with its answer. */
  costEstimate: z.number().int().min(0).nullable(),
});
export type ProposalContent = z.infer<typeof proposalContentSchema>;

/** Why a citizen flags a proposal for the moderators. */
export const flagReasons = ['offensive', 'spam', 'personal_data', 'off_topic'] as const;
export const flagReasonSchema = z.enum(flagReasons);
export type FlagReason = z.infer<typeof flagReasonSchema>;

/** The commune's public answer; `state` is one of the commune's answer states (its policy). */
export const proposalAnswerSchema = z.object({
  state: idSchema,
  text: z.object({ fr: z.string().trim().min(1).max(4000).optional(), en: z.string().trim().min(1).max(4000).optional() }),
  cost: z.number().int().min(0).nullable(),
});
export type ProposalAnswer = z.infer<typeof proposalAnswerSchema>;

/**
 * The commune's rules a proposal was submitted under: its threshold and the days to answer stay
 * those it was proposed with, whatever the commune decides later (a replay gives the same deadline).
 */
export const proposalRulesSchema = z.object({ supportThreshold: z.number().int().min(1), answerDays: z.number().int().min(1) });
export type ProposalRules = z.infer<typeof proposalRulesSchema>;

export const proposalEventDataSchemas = {
  ProposalSubmitted: proposalContentSchema.extend({ proposalId: idSchema, communeId: idSchema, author: authorSchema, rules: proposalRulesSchema, submittedAt: at }),
  ProposalEdited: proposalContentSchema.extend({ proposalId: idSchema, editedAt: at }),
  ProposalFlagged: z.object({ proposalId: idSchema, citizenId: idSchema, reason: flagReasonSchema, flaggedAt: at }),
  /** `by`: a moderator, or `flags` when the policy's number of flags was reached (pending review). */
  ProposalHidden: z.object({ proposalId: idSchema, by: z.union([z.literal('flags'), idSchema]), reason: z.string().trim().min(1).max(500), hiddenAt: at }),
  ProposalRestored: z.object({ proposalId: idSchema, by: idSchema, reason: z.string().trim().min(1).max(500), restoredAt: at }),
  /** `final`: the answer ends its life as a proposal (the commune's answer state said so when it answered). */
  ProposalAnswered: proposalAnswerSchema.extend({ proposalId: idSchema, final: z.boolean(), answeredBy: idSchema, answeredAt: at }),
  /** Its supports count for `into` from now on (each citizen once). */
  ProposalMerged: z.object({ proposalId: idSchema, into: idSchema, mergedBy: idSchema, mergedAt: at }),
  ProposalWithdrawn: z.object({ proposalId: idSchema, withdrawnAt: at }),
} as const;

/**
 * A citizen's support, in a stream of its own per proposal and citizen (`supportStreamId`): a
 * proposal that goes viral takes thousands of supports at once, and none waits on another's
 * revision; the citizen's own stream still allows one support at a time.
 */
export const supportEventDataSchemas = {
  SupportGiven: z.object({ proposalId: idSchema, citizenId: idSchema, supportedAt: at }),
  SupportWithdrawn: z.object({ proposalId: idSchema, citizenId: idSchema, withdrawnAt: at }),
} as const;

export type ProposalEventType = keyof typeof proposalEventDataSchemas;
export type ProposalEventOf<T extends ProposalEventType> = { type: T; data: z.infer<(typeof proposalEventDataSchemas)[T]> };
export type ProposalEvent = { [T in ProposalEventType]: ProposalEventOf<T> }[ProposalEventType];
export type SupportEventType = keyof typeof supportEventDataSchemas;
export type SupportEvent = { [T in SupportEventType]: { type: T; data: z.infer<(typeof supportEventDataSchemas)[T]> } }[SupportEventType];

export const proposalEventVersions: Record<ProposalEventType, number> = { ...firstVersions(proposalEventDataSchemas), ProposalSubmitted: 2, ProposalAnswered: 2 };
export const supportEventVersions = firstVersions(supportEventDataSchemas);

export const proposalStreamId = (proposalId: string): string => `proposal-${proposalId}`;
/** One citizen's support of one proposal. */
export const supportId = (proposalId: string, citizenId: string): string => `${proposalId}-${citizenId}`;
export const supportStreamId = (id: string): string => `support-${id}`;

/** Register here when a proposal or support event's shape changes (and bump its version). */
export const proposalUpcasters = new UpcasterRegistry()
  // v1 was written when every commune ran the one default policy: 100 supports, 30 days to answer.
  .register('ProposalSubmitted', 1, (data) => ({ ...(data as object), rules: { supportThreshold: 100, answerDays: 30 } }))
  // v1 answers used the default states, where only "under study" leaves the proposal open.
  .register('ProposalAnswered', 1, (data) => ({ ...(data as object), final: (data as { state?: unknown }).state !== 'under_study' }));
export const supportUpcasters = new UpcasterRegistry();

export const parseProposalEvent = createEventParser({ schemas: proposalEventDataSchemas, versions: proposalEventVersions, upcasters: proposalUpcasters }) as (
  raw: StoredEventData,
) => ProposalEvent;
export const parseSupportEvent = createEventParser({ schemas: supportEventDataSchemas, versions: supportEventVersions, upcasters: supportUpcasters }) as (raw: StoredEventData) => SupportEvent;
