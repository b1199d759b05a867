import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoff', () => {
  const policy = { baseMs: 1_000, maxMs: 30_000 };

  it('doubles the step with each attempt up to the ceiling', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, 0.999999, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('never waits less than half the step, whatever the jitter', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, 0, policy))).toEqual([500, 1_000, 2_000]);
  });
});
