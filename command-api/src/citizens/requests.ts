import { z } from 'zod';
import { identityLevelSchema } from '@palabre/domain';

/** `POST /api/citizens/me/phone` and `POST /api/citizens/me/phone/verify`. */
export const phoneRequestSchema = z.object({ phone: z.string().trim().min(6).max(32) }).strict();
export const codeRequestSchema = z.object({ code: z.string().trim().min(1).max(20) }).strict();

export const citizenMeSchema = z.object({ id: z.string(), level: identityLevelSchema });
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
