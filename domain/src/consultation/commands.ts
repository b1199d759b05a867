import { z } from 'zod';
import { commandMetaSchema, idSchema } from '../shared/command.js';
import { answersSchema, consultationContentSchema, identityLevelSchema, signedResultSchema } from './events.js';

/**
 * The voter as the edge knows them when a ballot comes in: a per-consultation pseudonym (an HMAC
 * the edge computes), never a citizen id, plus the facts eligibility needs.
 */
export const voterSchema = z.object({
  pseudonym: z.string().min(8).max(128),
  level: identityLevelSchema,
  /** null when the vault holds no birth date. */
  adult: z.boolean().nullable(),
  /** Residence; null when not known. */
  communeId: idSchema.nullable(),
  quartierId: idSchema.nullable(),
});
export type Voter = z.infer<typeof voterSchema>;

export const consultationCommandDataSchemas = {
  DraftConsultation: consultationContentSchema.extend({ consultationId: idSchema, communeId: idSchema }),
  ReviseDraft: consultationContentSchema.extend({ consultationId: idSchema }),
  OpenConsultation: z.object({ consultationId: idSchema }),
  CloseConsultation: z.object({ consultationId: idSchema, how: z.enum(['schedule', 'by_hand']) }),
  CancelConsultation: z.object({ consultationId: idSchema, reason: z.string().trim().min(1).max(500) }),
  /** The edge computes and signs the result once the log's signed head includes the close; absent, publishing is refused. */
  PublishResults: z.object({ consultationId: idSchema, signedResult: signedResultSchema.optional() }),
} as const;

export const ballotCommandDataSchemas = {
  /** A resident votes online (app or web). */
  CastBallot: z.object({ consultationId: idSchema, ballotId: idSchema, voter: voterSchema, answers: answersSchema }),
  /** An agent records a resident's paper ballot at a polling table; it is final. */
  RecordPaperBallot: z.object({
    consultationId: idSchema,
    ballotId: idSchema,
    voter: voterSchema,
    answers: answersSchema,
    pollingTableId: idSchema,
  }),
} as const;

type Meta = z.infer<typeof commandMetaSchema>;
export type ConsultationCommandType = keyof typeof consultationCommandDataSchemas;
export type ConsultationCommandOf<T extends ConsultationCommandType> = { type: T; data: z.infer<(typeof consultationCommandDataSchemas)[T]>; meta: Meta };
export type ConsultationCommand = { [T in ConsultationCommandType]: ConsultationCommandOf<T> }[ConsultationCommandType];
export type BallotCommandType = keyof typeof ballotCommandDataSchemas;
export type BallotCommandOf<T extends BallotCommandType> = { type: T; data: z.infer<(typeof ballotCommandDataSchemas)[T]>; meta: Meta };
export type BallotCommand = { [T in BallotCommandType]: BallotCommandOf<T> }[BallotCommandType];

/** Validates a command's data and meta with the same schemas the HTTP layer uses. */
export function parseConsultationCommand<T extends ConsultationCommandType>(type: T, data: unknown, meta: unknown): ConsultationCommandOf<T> {
  return { type, data: consultationCommandDataSchemas[type].parse(data), meta: commandMetaSchema.parse(meta) } as ConsultationCommandOf<T>;
}

export function parseBallotCommand<T extends BallotCommandType>(type: T, data: unknown, meta: unknown): BallotCommandOf<T> {
  return { type, data: ballotCommandDataSchemas[type].parse(data), meta: commandMetaSchema.parse(meta) } as BallotCommandOf<T>;
}
