import { z } from 'zod';

/** Bodies of `POST /api/auth/*`: what the controller validates and the OpenAPI document shows. */
export const loginSchema = z.object({ username: z.string().trim().min(1).max(60), password: z.string().min(1).max(256) }).strict();
export const refreshSchema = z.object({ refreshToken: z.string().min(10).max(200) }).strict();
export const citizenSchema = z.object({ deviceId: z.string().min(8).max(200).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only') }).strict();

const tokens = { accessToken: z.string(), refreshToken: z.string(), expiresIn: z.number().int().describe('Seconds the access token lives') };
export const sessionSchema = z.object(tokens);
export const staffSessionSchema = z.object({
  ...tokens,
  user: z.object({ id: z.string(), username: z.string(), role: z.string(), communes: z.union([z.literal('*'), z.array(z.string())]) }),
});
export const citizenSessionSchema = z.object({ ...tokens, citizenId: z.string() });
