import { describe, expect, it } from 'vitest';
import { crockfordBase32 } from './base32.js';

describe('crockfordBase32', () => {
  it.each([
    ['', ''],
    ['f', 'CR'],
    ['foobar', 'CSQPYRK1E8'],
  ])('encodes %j as %s', (text, expected) => {
    expect(crockfordBase32(Buffer.from(text))).toBe(expected);
  });

  it('pads the last group with zero bits', () => {
    expect(crockfordBase32(Uint8Array.of(0xff))).toBe('ZW');
    expect(crockfordBase32(new Uint8Array(16).fill(0xff))).toBe(`${'Z'.repeat(25)}W`);
  });
});
