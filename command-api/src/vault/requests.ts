import { z } from 'zod';

/** `POST /api/admin/subjects/{subjectId}/forget`: the path, the body and the answer. */
export const subjectIdSchema = z.string().regex(/^S[0-9A-Z]{10,40}$/, 'a vault subject id');
export const forgetSchema = z.object({ reason: z.string().trim().min(3, 'say which request this honours').max(500) }).strict();
export const forgottenSchema = z.object({ subjectId: z.string(), erased: z.literal(true) });
