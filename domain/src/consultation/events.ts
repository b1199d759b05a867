import { z } from 'zod';
import { idSchema } from '../shared/command.js';
import { createEventParser, firstVersions, type StoredEventData, UpcasterRegistry } from '../shared/upcasting.js';

const at = z.iso.datetime({ offset: true });

/** Every text a resident reads exists in French and English. */
export const localizedTextSchema = z.object({ fr: z.string().trim().min(1).max(4000), en: z.string().trim().min(1).max(4000) });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** The identity levels an action may require, weakest first. */
export const identityLevels = ['device', 'phone', 'in_person'] as const;
export const identityLevelSchema = z.enum(identityLevels);
export type IdentityLevel = z.infer<typeof identityLevelSchema>;

export const resultsVisibilitySchema = z.enum(['live', 'at_close']);
export type ResultsVisibility = z.infer<typeof resultsVisibilitySchema>;

/** An option as residents see it; `point` places it on the consultation's map, `cost` prices a budget item (FCFA). */
export const optionSchema = z.object({
  id: idSchema,
  label: localizedTextSchema,
  cost: z.number().int().min(0).optional(),
  point: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
});
export type ConsultationOption = z.infer<typeof optionSchema>;

const questionBase = {
  id: idSchema,
  text: localizedTextSchema,
  /** Whether a ballot must answer it; by default every question but free text. */
  required: z.boolean().optional(),
};

export const questionSchema = z.discriminatedUnion('kind', [
  z.object({ ...questionBase, kind: z.literal('single'), options: z.array(optionSchema).min(2).max(50) }),
  z.object({ ...questionBase, kind: z.literal('multiple'), options: z.array(optionSchema).min(2).max(50), maxChoices: z.number().int().min(1) }),
  z.object({ ...questionBase, kind: z.literal('scale') }),
  z.object({ ...questionBase, kind: z.literal('text'), maxLength: z.number().int().min(1).max(4000).optional() }),
  z.object({ ...questionBase, kind: z.literal('budget'), options: z.array(optionSchema).min(1).max(100), budget: z.number().int().min(1) }),
]);
export type Question = z.infer<typeof questionSchema>;
export type QuestionKind = Question['kind'];

/** What a draft says; revising a draft replaces all of it. */
export const consultationContentSchema = z.object({
  title: localizedTextSchema,
  description: localizedTextSchema.nullable(),
  /** Photos and documents from the media library. */
  mediaIds: z.array(idSchema).max(20),
  /** null: the whole commune; otherwise only residents of these quartiers. */
  quartierIds: z.array(idSchema).min(1).nullable(),
  requiredLevel: identityLevelSchema,
  adultsOnly: z.boolean(),
  opensAt: at,
  closesAt: at,
  resultsVisibility: resultsVisibilitySchema,
  questions: z.array(questionSchema).min(1).max(30),
});
export type ConsultationContent = z.infer<typeof consultationContentSchema>;

/** An answer as a ballot carries it: an option id, option ids, a 1–5 value or free text, by question kind. */
export const answerSchema = z.union([z.string().max(4000), z.array(idSchema).max(100), z.number()]);
export type Answer = z.infer<typeof answerSchema>;
export const answersSchema = z.record(idSchema, answerSchema);
export type Answers = z.infer<typeof answersSchema>;

export const ballotChannelSchema = z.enum(['online', 'paper']);
export type BallotChannel = z.infer<typeof ballotChannelSchema>;

/**
 * The published result: `tally()` of the ballots the log holds before the consultation's close,
 * computed at the signed tree head of `treeSize` (root `rootHash`, which includes the close), and
 * signed with the audit key over RFC 8785 JSON of {consultationId, treeSize, rootHash, results}.
 * Anyone recounts it from an export (`palabre-audit tally`).
 */
export const signedResultSchema = z.object({
  treeSize: z.number().int().min(1),
  rootHash: z.string().min(1).max(100),
  results: z.record(z.string(), z.unknown()),
  keyId: z.string().min(1).max(100),
  signature: z.string().min(1).max(200),
});
export type SignedResult = z.infer<typeof signedResultSchema>;

export const consultationEventDataSchemas = {
  ConsultationDrafted: consultationContentSchema.extend({ consultationId: idSchema, communeId: idSchema, draftedBy: idSchema, draftedAt: at }),
  ConsultationDraftRevised: consultationContentSchema.extend({ consultationId: idSchema, revisedBy: idSchema, revisedAt: at }),
  ConsultationOpened: z.object({ consultationId: idSchema, openedBy: idSchema, openedAt: at }),
  /** `schedule`: closed at closesAt by the deadline process; `by_hand`: closed early by staff. */
  ConsultationClosed: z.object({ consultationId: idSchema, how: z.enum(['schedule', 'by_hand']), closedBy: idSchema, closedAt: at }),
  ConsultationCancelled: z.object({ consultationId: idSchema, reason: z.string().trim().min(1).max(500), cancelledBy: idSchema, cancelledAt: at }),
  ConsultationResultsPublished: z.object({ consultationId: idSchema, signedResult: signedResultSchema, publishedBy: idSchema, publishedAt: at }),
} as const;

/**
 * A ballot: it names the voter only by a per-consultation pseudonym (computed at the edge),
 * never a citizen id. `quartierId` is the voter's residence, for breakdowns.
 */
export const ballotEventDataSchemas = {
  BallotCast: z.object({
    consultationId: idSchema,
    ballotId: idSchema,
    pseudonym: z.string().min(8).max(128),
    quartierId: idSchema.nullable(),
    channel: ballotChannelSchema,
    answers: answersSchema,
    /** The agent who recorded a paper ballot and their polling table; null online. */
    recordedBy: idSchema.nullable(),
    pollingTableId: idSchema.nullable(),
    castAt: at,
  }),
} as const;

export type ConsultationEventType = keyof typeof consultationEventDataSchemas;
export type ConsultationEventOf<T extends ConsultationEventType> = { type: T; data: z.infer<(typeof consultationEventDataSchemas)[T]> };
export type ConsultationEvent = { [T in ConsultationEventType]: ConsultationEventOf<T> }[ConsultationEventType];
export type BallotEventType = keyof typeof ballotEventDataSchemas;
export type BallotCast = z.infer<(typeof ballotEventDataSchemas)['BallotCast']>;
export type BallotEvent = { type: 'BallotCast'; data: BallotCast };

export const consultationEventVersions = firstVersions(consultationEventDataSchemas);
export const ballotEventVersions = firstVersions(ballotEventDataSchemas);

/** The consultation's own stream: its draft and lifecycle. */
export const consultationStreamId = (consultationId: string): string => `consultation-${consultationId}`;
/**
 * One voter's ballot box in one consultation: the voter's ballots only, so voters never wait on one
 * another (one stream per consultation would serialise every ballot). The recount reads them all
 * from the log in order; the `ballots-{consultationId}-` prefix gathers a consultation's boxes.
 */
export const ballotBoxId = (consultationId: string, pseudonym: string): string => `${consultationId}-${pseudonym}`;
export const ballotStreamId = (boxId: string): string => `ballots-${boxId}`;

/** Register here when a consultation or ballot event's shape changes (and bump its version). */
export const consultationUpcasters = new UpcasterRegistry();
export const ballotUpcasters = new UpcasterRegistry();

export const parseConsultationEvent = createEventParser({
  schemas: consultationEventDataSchemas,
  versions: consultationEventVersions,
  upcasters: consultationUpcasters,
}) as (raw: StoredEventData) => ConsultationEvent;

export const parseBallotEvent = createEventParser({
  schemas: ballotEventDataSchemas,
  versions: ballotEventVersions,
  upcasters: ballotUpcasters,
}) as (raw: StoredEventData) => BallotEvent;
