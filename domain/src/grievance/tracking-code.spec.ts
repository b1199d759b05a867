import { describe, expect, it } from 'vitest';
import { formatTrackingCode, parseTrackingCode, TRACKING_ALPHABET, TRACKING_RANDOM_BYTES, trackingCodeFrom } from './tracking-code.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const sample = trackingCodeFrom(bytes(0x5a, 0x13, 0xc7, 0x88, 0x01, 0xfe, 0x42));

describe('tracking codes', () => {
  it('are ten random characters of an unambiguous alphabet and a check character, all the random bits used', () => {
    expect(sample).toMatch(/^[0-9A-HJKMNP-TV-Z]{11}$/);
    expect(TRACKING_ALPHABET).not.toMatch(/[ILOU]/);
    expect(trackingCodeFrom(bytes(0, 0, 0, 0, 0, 0, 0))).toBe('00000000000');
    // Each of the 50 random bits changes the code.
    const seen = new Set<string>();
    for (let bit = 0; bit < 50; bit++) {
      const random = new Uint8Array(TRACKING_RANDOM_BYTES);
      random[TRACKING_RANDOM_BYTES - 1 - (bit >> 3)] = 1 << (bit & 7);
      seen.add(trackingCodeFrom(random));
    }
    expect(seen.size).toBe(50);
    expect(() => trackingCodeFrom(bytes(1, 2, 3))).toThrow(RangeError);
  });

  it('read back as typed or dictated: any case, spaces and dashes, O for 0 and I or L for 1', () => {
    expect(parseTrackingCode(sample)).toBe(sample);
    expect(parseTrackingCode(formatTrackingCode(sample))).toBe(sample);
    expect(formatTrackingCode(sample)).toMatch(/^.{4}-.{4}-.{3}$/);
    expect(parseTrackingCode(` ${formatTrackingCode(sample).toLowerCase()} `)).toBe(sample);
    const withZerosAndOnes = trackingCodeFrom(bytes(0, 0, 0, 0, 0, 0, 0x21));
    expect(withZerosAndOnes).toMatch(/[01]/);
    expect(parseTrackingCode(withZerosAndOnes.replace(/0/g, 'o').replace(/1/g, 'l'))).toBe(withZerosAndOnes);
  });

  it('catch every single mistyped character and every swap of two different neighbours but 0 and Z', () => {
    const codes = Array.from({ length: 40 }, (_, n) => trackingCodeFrom(bytes(n, n * 7, n * 13, n * 31, n * 57, n * 91, n * 127)));
    for (const code of codes) {
      for (let i = 0; i < code.length; i++) {
        for (const other of TRACKING_ALPHABET) {
          if (other === code[i]) continue;
          expect(parseTrackingCode(code.slice(0, i) + other + code.slice(i + 1)), `${code} with ${other} at ${i}`).toBeNull();
        }
      }
      for (let i = 0; i + 1 < code.length; i++) {
        const [a, b] = [code[i]!, code[i + 1]!];
        if (a === b || (a === '0' && b === 'Z') || (a === 'Z' && b === '0')) continue;
        expect(parseTrackingCode(code.slice(0, i) + b + a + code.slice(i + 2)), `${code} swapped at ${i}`).toBeNull();
      }
    }
  });

  it('refuse what is not a code: too short, too long, a letter outside the alphabet', () => {
    expect(parseTrackingCode(sample.slice(0, -1))).toBeNull();
    expect(parseTrackingCode(`${sample}0`)).toBeNull();
    expect(parseTrackingCode(`${sample.slice(0, -1)}U`)).toBeNull();
    expect(parseTrackingCode('')).toBeNull();
  });
});
