import { z } from 'zod';
import { identityLevelSchema } from '@palabre/domain';

/** `POST /api/citizens/me/phone` and `POST /api/citizens/me/phone/verify`. */
export const phoneRequestSchema = z.object({ phone: z.string().trim().min(6).max(32) }).strict();
export const codeRequestSchema = z.object({ code: z.string().trim().min(1).max(20) }).strict();

export const residenceSchema = z.object({ communeId: z.string(), quartierId: z.string().nullable() });
export const citizenMeSchema = z.object({
  id: z.string(),
  level: identityLevelSchema,
  /** Where the citizen lives for consultations: checked by an agent, else declared; null if neither. */
  residence: residenceSchema.extend({ checked: z.boolean() }).nullable().optional(),
});
export const verifiedInPersonSchema = z.object({ id: z.string(), level: identityLevelSchema, censusMatch: z.boolean() });
export const censusStatusSchema = z.object({ communeId: z.string(), entries: z.number().int(), importedAt: z.string().nullable() });
export const residenceRequestSchema = z
  .object({
    communeId: z.string().min(1).max(120).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only'),
    quartierId: z.string().min(1).max(120).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only').optional(),
  })
  .strict();
export const codeSentSchema = z.object({
  sentTo: z.string().describe('The number, masked'),
  expiresAt: z.string(),
  resendAfterSeconds: z.number().int(),
});
export const phoneVerifiedSchema = citizenMeSchema.extend({
  /** True when the number was already this citizen's on another device: the answer then carries that citizen's session. */
  recovered: z.boolean(),
  accessToken: z.string().optional(),
  refreshToken: z.string().optional(),
  expiresIn: z.number().int().optional(),
});
export const developmentSmsSchema = z.object({
  messages: z.array(z.object({ to: z.string(), text: z.string(), reference: z.string(), sentAt: z.string() })),
});

/** `POST /api/citizens/{id}/verifications`: an agent's check of an identity document. */
export const citizenIdSchema = z.string().regex(/^C[0-9A-Z]{26}$/, 'a citizen id (the code in the resident\'s app)');
export const verificationRequestSchema = z
  .object({
    method: z.literal('in_person'),
    // As printed on the card or passport; spaces and dashes do not matter, case neither.
    documentNumber: z
      .string()
      .transform((typed) => typed.toUpperCase().replace(/[\s-]/g, ''))
      .pipe(z.string().regex(/^[A-Z0-9]{4,30}$/, '4 to 30 letters and digits')),
    quartierId: z.string().min(1).max(120).optional(),
    /** As printed on the document, for consultations open to adults only; kept in the vault, never in the log. */
    birthDate: z.iso.date('a date written YYYY-MM-DD').optional(),
  })
  .strict();
export const revokeRequestSchema = z.object({ reason: z.string().trim().min(3, 'say why, the resident may ask').max(500) }).strict();
export const identityConflictsSchema = z.object({
  conflicts: z.array(z.object({ id: z.string(), holderId: z.string(), claimantId: z.string(), communeId: z.string(), agentId: z.string(), attemptedAt: z.string() })),
});
