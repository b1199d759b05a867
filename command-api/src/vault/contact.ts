import { z } from 'zod';

/** Cameroonian numbers have 9 digits: mobiles start with 6, landlines with 2. */
const CAMEROON_NATIONAL = /^[26]\d{8}$/;

/**
 * `6 77 12 34 56`, `677-12-34-56`, `00237 677 12 34 56`, `+237 6 77 12 34 56` → `+237677123456`.
 * Numbers of other countries must carry their `+` (or `00`) prefix. Null when it is not a phone number.
 */
export function normalisePhone(raw: string): string | null {
  const compact = raw.trim().replace(/[\s.\-()/]/g, '');
  const international = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : null;
  if (international === null) {
    if (CAMEROON_NATIONAL.test(compact)) return `+237${compact}`;
    if (/^237\d{9}$/.test(compact) && CAMEROON_NATIONAL.test(compact.slice(3))) return `+${compact}`;
    return null;
  }
  if (!/^[1-9]\d{7,14}$/.test(international)) return null; // E.164: at most 15 digits, no leading 0
  if (international.startsWith('237') && !CAMEROON_NATIONAL.test(international.slice(3))) return null;
  return `+${international}`;
}

export const phoneSchema = z.string().transform((raw, context) => {
  const phone = normalisePhone(raw);
  if (phone === null) {
    context.addIssue({ code: 'custom', message: 'a phone number such as 6 77 12 34 56 or +237 677 12 34 56' });
    return z.NEVER;
  }
  return phone;
});

/** Contact details a citizen may leave so the commune can call back; every field optional, at least one given. */
export const contactSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    phone: phoneSchema.optional(),
    email: z.string().trim().pipe(z.email().max(254)).optional(),
  })
  .strict()
  .refine((c) => c.name !== undefined || c.phone !== undefined || c.email !== undefined, 'give at least a name, a phone or an email');

/** What callers send (phone in any accepted format). */
export type ContactInput = z.input<typeof contactSchema>;
/** What the vault stores and returns (phone normalised to +country…). */
export type Contact = z.output<typeof contactSchema>;

/** What was stored, read back as is: rules tightened later must not make old records unreadable. */
export const storedContactSchema = z.object({
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
});
