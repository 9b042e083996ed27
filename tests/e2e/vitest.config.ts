import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// End-to-end tests run in Node against a real `wrangler dev` (and real Chromium).
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file starts its own wrangler dev; two cores fit two at a time.
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ['tests/e2e/migrated-state.ts'],
  },
});
