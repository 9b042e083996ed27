import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The hardening suite runs in Node against real `wrangler dev` servers, one per file, two
// files at a time on two cores. PARLOR_SOAK=1 runs every fault phase longer.
const soak = process.env.PARLOR_SOAK === '1';
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/hardening/**/*.test.ts'],
    testTimeout: soak ? 3_600_000 : 300_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ['tests/e2e/migrated-state.ts'],
  },
});
