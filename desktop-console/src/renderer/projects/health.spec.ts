import { describe, expect, it } from 'vitest';
import { projectHealth } from './health.js';

const budget = (planned: number, spent: number) => ({ planned, committed: planned, spent, reason: null });

describe('where a project stands', () => {
  it('is on track while the work done keeps up with the money spent', () => {
    expect(projectHealth({ status: 'active', percent: 30, budget: budget(5_000_000, 1_000_000) })).toBe('on_track');
    expect(projectHealth({ status: 'active', percent: 0, budget: null })).toBe('on_track');
    expect(projectHealth({ status: 'active', percent: 40, budget: budget(10_000_000, 4_000_000) })).toBe('on_track');
  });

  it('is behind when more of the budget is spent than of the work is done', () => {
    expect(projectHealth({ status: 'active', percent: 40, budget: budget(10_000_000, 6_000_000) })).toBe('behind');
    expect(projectHealth({ status: 'active', percent: 90, budget: budget(10_000_000, 12_000_000) })).toBe('behind');
  });

  it('is late when suspended, and neither on track nor late once completed', () => {
    expect(projectHealth({ status: 'suspended', percent: 80, budget: null })).toBe('suspended');
    expect(projectHealth({ status: 'completed', percent: 100, budget: budget(1, 2) })).toBe('completed');
  });
});
