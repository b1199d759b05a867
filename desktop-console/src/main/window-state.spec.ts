import { describe, expect, it } from 'vitest';
import { defaultWindowState, restoreWindowState } from './window-state.js';

const laptop = [{ x: 0, y: 0, width: 1366, height: 768 }];

describe('remembered window size', () => {
  it('restores size and position on a screen that still exists', () => {
    expect(restoreWindowState({ width: 1200, height: 700, x: 40, y: 20, maximized: true }, laptop)).toEqual({
      width: 1200,
      height: 700,
      x: 40,
      y: 20,
      maximized: true,
    });
  });

  it('forgets the position when the monitor it was on is gone', () => {
    expect(restoreWindowState({ width: 1200, height: 700, x: 2000, y: 20, maximized: false }, laptop)).toEqual({
      width: 1200,
      height: 700,
      maximized: false,
    });
  });

  it('falls back to the default on a corrupt file and clamps absurd sizes', () => {
    expect(restoreWindowState('garbage', laptop)).toEqual(defaultWindowState);
    expect(restoreWindowState({ width: 'wide', height: 700 }, laptop)).toEqual(defaultWindowState);
    expect(restoreWindowState({ width: 10, height: 1e9 }, laptop)).toEqual({ width: 1024, height: 10_000, maximized: false });
  });
});
