/**
 * Phone numbers as residents type them ("6 77 12 34 56", "00237677123456", "+237 677-12-34-56"),
 * read into E.164 so one number is one key whatever the spelling.
 */
export interface CountryNumbering {
  /** ISO 3166 alpha-2. */
  country: string;
  callingCode: string;
  /** Digits of a national number, without the trunk prefix. */
  nationalLength: number;
  /** Leading digits of a mobile number (codes go by SMS). */
  mobilePrefixes: readonly string[];
}

/** The pilot countries. Côte d'Ivoire's ten digits start with 01, 05 or 07 since 2021. */
export const numberingPlans: Readonly<Record<string, CountryNumbering>> = {
  CM: { country: 'CM', callingCode: '237', nationalLength: 9, mobilePrefixes: ['6'] },
  TG: { country: 'TG', callingCode: '228', nationalLength: 8, mobilePrefixes: ['7', '9'] },
  CD: { country: 'CD', callingCode: '243', nationalLength: 9, mobilePrefixes: ['8', '9'] },
  CI: { country: 'CI', callingCode: '225', nationalLength: 10, mobilePrefixes: ['01', '05', '07'] },
};

export type PhoneReading = { ok: true; e164: string; country: string } | { ok: false; reason: 'not_a_number' | 'wrong_length' | 'not_mobile' | 'unknown_country' };

/** Reads a typed number; a number without a country code is read in `defaultCountry`. */
export function readPhoneNumber(typed: string, defaultCountry: string): PhoneReading {
  const compact = typed.trim().replace(/[\s().-]/g, '');
  if (!/^(\+|00)?\d{6,16}$/.test(compact)) return { ok: false, reason: 'not_a_number' };
  const international = compact.startsWith('+') || compact.startsWith('00');
  const digits = compact.replace(/^(\+|00)/, '');
  const plan = international ? Object.values(numberingPlans).find((p) => digits.startsWith(p.callingCode)) : numberingPlans[defaultCountry];
  if (!plan) return { ok: false, reason: 'unknown_country' };
  // A national number may carry the trunk prefix 0 (DR Congo's 08…); Côte d'Ivoire's own ten digits start with 0.
  const trunk = !international && digits.length === plan.nationalLength + 1 && digits.startsWith('0');
  const national = international ? digits.slice(plan.callingCode.length) : trunk ? digits.slice(1) : digits;
  if (national.length !== plan.nationalLength) return { ok: false, reason: 'wrong_length' };
  if (!plan.mobilePrefixes.some((prefix) => national.startsWith(prefix))) return { ok: false, reason: 'not_mobile' };
  return { ok: true, e164: `+${plan.callingCode}${national}`, country: plan.country };
}

/** What staff may see of a number: enough to recognise it, not to call it. */
export function maskPhoneNumber(e164: string): string {
  return `${e164.slice(0, 4)} ${'•'.repeat(Math.max(0, e164.length - 7))}${e164.slice(-3)}`;
}
