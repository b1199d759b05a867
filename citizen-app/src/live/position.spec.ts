import { describe, expect, it } from 'vitest';
import { laterPosition } from './position.ts';

describe('log positions', () => {
  it('orders by commit, then prepare, as numbers not text', () => {
    expect(laterPosition('99/99', '100/100')).toBe('100/100');
    expect(laterPosition('100/100', '99/99')).toBe('100/100');
    expect(laterPosition('100/7', '100/12')).toBe('100/12');
  });

  it('takes the first position seen and ignores garbage', () => {
    expect(laterPosition(null, '5/5')).toBe('5/5');
    expect(laterPosition('5/5', 'nonsense')).toBe('5/5');
    expect(laterPosition(null, 'nonsense')).toBe('nonsense');
  });
});
