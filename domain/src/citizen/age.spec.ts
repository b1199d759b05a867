import { describe, expect, it } from 'vitest';
import { isAdultOn } from './age.js';

describe('coming of age', () => {
  it('is reached on the 18th birthday, not the day before', () => {
    expect(isAdultOn('2009-03-05', '2027-03-04T23:59:00.000Z')).toBe(false);
    expect(isAdultOn('2009-03-05', '2027-03-05T00:00:00.000Z')).toBe(true);
    expect(isAdultOn('1970-01-01', '2027-03-05T10:00:00.000Z')).toBe(true);
  });

  it('comes on 1 March for someone born on 29 February, in a common year', () => {
    expect(isAdultOn('2008-02-29', '2026-02-28T12:00:00.000Z')).toBe(false);
    expect(isAdultOn('2008-02-29', '2026-03-01T00:00:00.000Z')).toBe(true);
  });

  it('reads the instant in UTC, whatever its offset', () => {
    expect(isAdultOn('2009-03-05', '2027-03-05T00:30:00+01:00')).toBe(false);
  });
});
