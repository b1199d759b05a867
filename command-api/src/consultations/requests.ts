import { z } from 'zod';
import { answersSchema, identityLevelSchema, localizedTextSchema, questionSchema, resultsVisibilitySchema } from '@palabre/domain';

const at = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(120).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only');

/** `POST /api/consultations`: the shape other clients are written against (issue 15, item 9). */
export const createConsultationSchema = z
  .object({
    communeId: id,
    quartierIds: z.array(id).min(1).optional(),
    title: localizedTextSchema,
    description: localizedTextSchema.optional(),
    mediaIds: z.array(id).max(20).optional(),
    requiredLevel: identityLevelSchema,
    adultsOnly: z.boolean().optional(),
    opensAt: at,
    closesAt: at,
    resultsVisibility: resultsVisibilitySchema,
    questions: z.array(questionSchema).min(1).max(30),
  })
  .strict();

/** `PUT /api/consultations/{id}`: a draft rewritten whole (its commune stays). */
export const reviseConsultationSchema = createConsultationSchema.omit({ communeId: true });

export const consultationIdSchema = z.string().regex(/^K[0-9A-HJKMNP-TV-Z]{12}$/, 'a consultation id (K and 12 characters of Crockford base32)');
export const closeConsultationSchema = z.object({}).strict();
export const cancelConsultationSchema = z.object({ reason: z.string().trim().min(3, 'say why, residents will read it').max(500) }).strict();

export const createdSchema = z.object({ id: z.string(), revision: z.number().int() });
export const transitionedSchema = z.object({ id: z.string(), revision: z.number().int(), status: z.string() });
export const consultationSchema = createConsultationSchema.omit({ quartierIds: true, description: true, mediaIds: true, adultsOnly: true }).extend({
  id: z.string(),
  status: z.enum(['draft', 'open', 'closed', 'cancelled', 'published']),
  quartierIds: z.array(z.string()).nullable(),
  description: localizedTextSchema.nullable(),
  mediaIds: z.array(z.string()),
  adultsOnly: z.boolean(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  revision: z.number().int(),
});

/** `POST /api/consultations/{id}/ballots`: the resident's answers, by question id. */
export const ballotRequestSchema = z.object({ answers: answersSchema }).strict();
/** `POST /api/consultations/{id}/paper-ballots`: an agent records a verified resident's paper ballot at a polling table. */
export const paperBallotRequestSchema = z
  .object({
    citizenId: z.string().regex(/^C[0-9A-Z]{26}$/, "a citizen id (the code in the resident's app)"),
    pollingTableId: id,
    answers: answersSchema,
  })
  .strict();
/** `POST /api/consultations/{id}/tally-sheets`: the agent closes their polling table with a photo of its tally sheet. */
export const tallySheetRequestSchema = z
  .object({
    pollingTableId: id,
    mediaIds: z.array(id).min(1, 'at least one photo of the sheet').max(5),
    ballotsOnSheet: z.number().int().min(0).max(100_000),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
const sheetSchema = z.object({
  media: z.array(z.object({ id: z.string(), url: z.string(), thumbnailUrl: z.string() })),
  ballotsOnSheet: z.number().int(),
  note: z.string().nullable(),
  attachedBy: z.string(),
  attachedAt: z.string(),
});
/** What a tally sheet's acceptance says: the table and how many sheets it has had (a retry: the same). */
export const tallySheetAcceptedSchema = z.object({ consultationId: z.string(), pollingTableId: z.string(), sheets: z.number().int() });
/** `GET /api/consultations/{id}/polling-tables`: each table's paper ballots in the log beside what its sheets say. */
export const pollingTablesSchema = z.object({
  items: z.array(z.object({ pollingTableId: z.string(), paperBallots: z.number().int(), sheets: z.array(sheetSchema) })),
});
export const ballotAcceptedSchema = z.object({ receipt: z.string(), ballotId: z.string() });
export const consultationListQuery = z
  .object({
    communeId: id.optional(),
    status: z.enum(['draft', 'open', 'closed', 'cancelled', 'published']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export const consultationSummarySchema = z.object({
  id: z.string(),
  communeId: z.string(),
  status: z.enum(['draft', 'open', 'closed', 'cancelled', 'published']),
  title: localizedTextSchema,
  quartierIds: z.array(z.string()).nullable(),
  requiredLevel: identityLevelSchema,
  opensAt: z.string(),
  closesAt: z.string(),
  resultsVisibility: resultsVisibilitySchema,
  revision: z.number().int(),
});
export const consultationListSchema = z.object({ items: z.array(consultationSummarySchema) });
const optionVotes = z.object({ optionId: z.string(), votes: z.number().int() });
const questionResult = z.object({ questionId: z.string(), kind: z.string(), answered: z.number().int(), options: z.array(optionVotes).optional() }).passthrough();
export const consultationResultsSchema = z.object({
  consultationId: z.string(),
  status: z.string(),
  turnout: z.number().int(),
  byChannel: z.object({ online: z.number().int(), paper: z.number().int() }),
  questions: z.array(questionResult),
  byQuartier: z.object({ withheld: z.boolean(), cells: z.array(z.object({ quartierIds: z.array(z.string().nullable()), merged: z.boolean(), voters: z.number().int(), questions: z.array(questionResult) })) }),
  rules: z.record(z.string(), z.string()),
  ballots: z.number().int(),
  position: z.string(),
});
export const receiptSchema = z.object({
  receipt: z.string(),
  consultationId: z.string(),
  ballotId: z.string(),
  channel: z.enum(['online', 'paper']),
  answers: z.record(z.string(), z.unknown()),
  castAt: z.string(),
  counted: z.boolean(),
  eventId: z.string(),
  position: z.string(),
  /** The event as the log hashed it (RFC 8785 JSON): its leaf hash is SHA-256(0x00 ‖ these bytes). */
  envelope: z.string(),
  inclusion: z
    .object({ leafIndex: z.number().int(), treeSize: z.number().int(), leafHash: z.string(), inclusionProof: z.array(z.string()), rootHash: z.string(), treeHead: z.unknown() })
    .nullable(),
});
