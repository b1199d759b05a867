import { describe, expect, it } from 'vitest';
import { formatReceiptCode, parseReceiptCode, receiptAlphabet, receiptCode } from './receipt.js';

/** The first 50 bits of `bytes`, read back from a code with an independent decoder. */
const bitsOf = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('').slice(0, 50);
const decode = (code: string) => [...code].map((c) => receiptAlphabet.indexOf(c).toString(2).padStart(5, '0')).join('');

describe('receipt codes', () => {
  it('uses 32 symbols with no I, L, O or U', () => {
    expect(new Set(receiptAlphabet).size).toBe(32);
    expect(receiptAlphabet).not.toMatch(/[ILOU]/);
  });

  it('encodes the first 50 bits of the digest in 10 characters', () => {
    expect(receiptCode(new Uint8Array(32))).toBe('0000000000');
    expect(receiptCode(new Uint8Array(32).fill(255))).toBe('ZZZZZZZZZZ');
    const digest = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255);
    const code = receiptCode(digest);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(decode(code)).toBe(bitsOf(digest));
  });

  it('differs when the digest differs within its first 50 bits', () => {
    const a = new Uint8Array(32);
    const b = new Uint8Array(32);
    b[6] = 0b01000000;
    expect(receiptCode(a)).not.toBe(receiptCode(b));
  });

  it('refuses a digest too short to fill a code', () => {
    expect(() => receiptCode(new Uint8Array(6))).toThrow(/7 bytes/);
  });

  it('reads a code as people type it, and rejects what cannot be a receipt', () => {
    expect(parseReceiptCode('7k3qx-m2p9r')).toBe('7K3QXM2P9R');
    expect(parseReceiptCode(' 7K3QX M2P9R ')).toBe('7K3QXM2P9R');
    expect(parseReceiptCode('OIL00-00000')).toBe('0110000000');
    expect(parseReceiptCode('7K3QX-M2P9')).toBeNull();
    expect(parseReceiptCode('7K3QX-M2P9U')).toBeNull();
    expect(formatReceiptCode('7K3QXM2P9R')).toBe('7K3QX-M2P9R');
  });
});
