/**
 * A grievance's tracking code: what a complainant keeps (on paper, in an SMS, read over the phone)
 * to follow their case without an account. Ten random characters (50 bits) from Crockford's base 32,
 * which has no I, L, O or U, so nothing reads as another; then a check character (Luhn mod 32), so a
 * code mistyped by one character, or with two neighbours swapped, is caught before any lookup. Never
 * derived from a counter or a case id: knowing one code tells nothing of another.
 */
export const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE = TRACKING_ALPHABET.length;
/** Random characters in a code (the check character comes after them). */
export const TRACKING_RANDOM_LENGTH = 10;
/** Random bytes a code needs: 10 characters of 5 bits each. */
export const TRACKING_RANDOM_BYTES = Math.ceil((TRACKING_RANDOM_LENGTH * 5) / 8);

const valueOf = (char: string): number => TRACKING_ALPHABET.indexOf(char);

/** Luhn mod N over `body` (the characters before the check one). */
function checkCharacter(body: string): string {
  let sum = 0;
  let factor = 2;
  for (let i = body.length - 1; i >= 0; i--) {
    const addend = factor * valueOf(body[i]!);
    sum += Math.floor(addend / BASE) + (addend % BASE);
    factor = factor === 2 ? 1 : 2;
  }
  return TRACKING_ALPHABET[(BASE - (sum % BASE)) % BASE]!;
}

/** A new tracking code from `random` (at least TRACKING_RANDOM_BYTES bytes from a cryptographic source). */
export function trackingCodeFrom(random: Uint8Array): string {
  if (random.length < TRACKING_RANDOM_BYTES) throw new RangeError(`A tracking code needs ${TRACKING_RANDOM_BYTES} random bytes, got ${random.length}.`);
  let bits = 0n;
  for (const byte of random.subarray(0, TRACKING_RANDOM_BYTES)) bits = (bits << 8n) | BigInt(byte);
  let body = '';
  for (let i = 0; i < TRACKING_RANDOM_LENGTH; i++) body += TRACKING_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return body + checkCharacter(body);
}

/** How people read a code: in groups of four (`K7QM-2XRD-9P4`). */
export const formatTrackingCode = (code: string): string => code.match(/.{1,4}/g)!.join('-');

/**
 * A code as typed or dictated, made canonical: case, spaces and dashes ignored, O read as 0 and I or
 * L as 1 (Crockford's rule). Null when it is not a well-formed code, its check character included:
 * a typing error is answered at once, without a lookup.
 */
export function parseTrackingCode(input: string): string | null {
  const code = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (code.length !== TRACKING_RANDOM_LENGTH + 1 || [...code].some((c) => valueOf(c) < 0)) return null;
  return checkCharacter(code.slice(0, -1)) === code.at(-1) ? code : null;
}
