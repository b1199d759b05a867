/**
 * The rules of the codes that verify a phone: how long one lives, how many guesses it allows, and how
 * often a number or a device may ask for one (each SMS costs the commune money and can be used to
 * harass a number). The edge draws the code and keeps only its digest; these functions decide.
 */
export interface OneTimeCodeRules {
  digits: number;
  lifetimeMs: number;
  maxAttempts: number;
  /** At most `max` codes to one number, and from one device, within `windowMs`. */
  perNumber: { max: number; windowMs: number };
  perDevice: { max: number; windowMs: number };
  /** Between two codes to the same number. */
  resendAfterMs: number;
}

export const oneTimeCodeRules: OneTimeCodeRules = {
  digits: 6,
  lifetimeMs: 10 * 60_000,
  maxAttempts: 5,
  perNumber: { max: 3, windowMs: 60 * 60_000 },
  perDevice: { max: 5, windowMs: 60 * 60_000 },
  resendAfterMs: 60_000,
};

export type Refusal = { ok: false; code: string; message: string; retryAfterMs?: number };
export type Allowed = { ok: true };

/** Whether a new code may be sent, given when earlier ones were sent to this number and from this device. */
export function mayIssueCode(now: number, sentToNumber: readonly number[], sentFromDevice: readonly number[], rules = oneTimeCodeRules): Allowed | Refusal {
  const last = Math.max(-Infinity, ...sentToNumber);
  if (now - last < rules.resendAfterMs) {
    return { ok: false, code: 'phone.code_too_soon', message: 'A code was just sent to this number; wait a minute before asking again.', retryAfterMs: rules.resendAfterMs - (now - last) };
  }
  const flood = (sent: readonly number[], limit: { max: number; windowMs: number }) => {
    const recent = sent.filter((t) => now - t < limit.windowMs).sort((a, b) => a - b);
    return recent.length >= limit.max ? recent[recent.length - limit.max]! + limit.windowMs - now : null;
  };
  const numberWait = flood(sentToNumber, rules.perNumber);
  if (numberWait !== null) return { ok: false, code: 'phone.too_many_codes', message: 'Too many codes were sent to this number; try again later.', retryAfterMs: numberWait };
  const deviceWait = flood(sentFromDevice, rules.perDevice);
  if (deviceWait !== null) return { ok: false, code: 'phone.too_many_codes', message: 'This phone asked for too many codes; try again later.', retryAfterMs: deviceWait };
  return { ok: true };
}

export interface CodeChallenge {
  issuedAt: number;
  attempts: number;
  usedAt: number | null;
}

/** Whether a typed code may still be checked against this challenge (before comparing digests). */
export function mayTryCode(now: number, challenge: CodeChallenge | null, rules = oneTimeCodeRules): Allowed | Refusal {
  if (!challenge) return { ok: false, code: 'phone.no_code', message: 'No code was sent for this number; ask for one first.' };
  if (challenge.usedAt !== null) return { ok: false, code: 'phone.code_used', message: 'This code was already used; ask for a new one.' };
  if (now - challenge.issuedAt >= rules.lifetimeMs) return { ok: false, code: 'phone.code_expired', message: 'This code has expired; ask for a new one.' };
  if (challenge.attempts >= rules.maxAttempts) return { ok: false, code: 'phone.too_many_attempts', message: 'Too many wrong codes; ask for a new one.' };
  return { ok: true };
}

/** A code as typed ("123 456", "123-456"): its digits, or null when it cannot be one. */
export function readTypedCode(typed: string, rules = oneTimeCodeRules): string | null {
  const digits = typed.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${rules.digits}}$`).test(digits) ? digits : null;
}

/** The SMS text: the code first (phones show it in the notification), no link, both languages. */
export function codeMessage(code: string, minutes = oneTimeCodeRules.lifetimeMs / 60_000): string {
  return `${code} : votre code Palabre, valable ${minutes} min. / your Palabre code, valid ${minutes} min. Ne le donnez à personne. Never share it.`;
}
