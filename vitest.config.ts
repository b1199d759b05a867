import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    // Workspaces import each other by package name; tests run straight from their sources.
    alias: [
      { find: /^@palabre\/([a-z-]+)$/, replacement: `${root}$1/src/index.ts` },
      { find: /^@palabre\/([a-z-]+)\/(.+)$/, replacement: `${root}$1/src/$2.ts` },
    ],
  },
  test: {
    include: ['*/src/**/*.spec.ts', '*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['scripts/vitest.global-setup.ts'],
    testTimeout: 30_000,
    // Browser and socket tests wait with expect.poll for what the app shows next. The default second
    // is too short on two cores busy with another test file (a first grid load took longer in CI).
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
