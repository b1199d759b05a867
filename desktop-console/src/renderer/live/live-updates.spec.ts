import { describe, expect, it } from 'vitest';
import { laterPosition } from './live-updates.js';

describe('the last log position seen', () => {
  it('compares commit/prepare pairs numerically, not as text', () => {
    expect(laterPosition('9/9', '10/2')).toBe('10/2');
    expect(laterPosition('10/2', '9/9')).toBe('10/2');
    expect(laterPosition('10/2', '10/11')).toBe('10/11');
    expect(laterPosition(null, 42)).toBe('42');
    expect(laterPosition('12345678901234567890', '12345678901234567891')).toBe('12345678901234567891');
  });
});
