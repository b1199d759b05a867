import { defineConfig } from 'vitest/config';
import base from '../vitest.config.js';

/** The console figures script only: `npx vitest run -c desktop-console/vitest.figures.config.ts`. */
export default defineConfig({
  ...base,
  // Replaced, not merged: mergeConfig would append to the suite's include list.
  test: { ...base.test, include: ['desktop-console/test/console.figures.ts'], testTimeout: 3_600_000, hookTimeout: 600_000 },
});
