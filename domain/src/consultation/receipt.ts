/** Crockford's base32: digits and capitals without I, L, O and U, so a receipt read aloud or copied by hand survives. */
export const receiptAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const receiptLength = 10;

/**
 * A ballot's receipt code: the first 50 bits of a digest of its event id, 10 characters of
 * Crockford base32. The edge hashes (SHA-256); the domain only encodes the bytes it is given.
 */
export function receiptCode(digest: Uint8Array): string {
  if (digest.length < 7) throw new Error('A receipt needs at least 7 bytes of digest');
  let code = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of digest) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && code.length < receiptLength) {
      code += receiptAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    if (code.length === receiptLength) break;
  }
  return code;
}

/**
 * Reads a receipt code as a person typed it: case, spaces and dashes do not matter, and the
 * look-alikes I, L (one) and O (zero) are read as Crockford says. Null when it cannot be a receipt.
 */
export function parseReceiptCode(typed: string): string | null {
  const code = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (code.length !== receiptLength) return null;
  for (const c of code) if (!receiptAlphabet.includes(c)) return null;
  return code;
}

/** Groups a code in two fives for reading aloud: `7K3QX-M2P9R`. */
export const formatReceiptCode = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;
