import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: `${root}/wrangler.toml` },
      miniflare: {
        bindings: {
          SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789',
          APP_ORIGINS: 'https://parlor.test',
          // The deployment's list for the global room (tests/integration/embed-origins.test.ts).
          GLOBAL_EMBED_ORIGINS: 'https://global-host.test',
          // Small, so that rooms in tests grow relays (the fan-out tree is exercised).
          ROOM_DIRECT_SOCKETS: process.env.ROOM_DIRECT_SOCKETS ?? '5',
          // Three hub shards: users of one test land on different shards.
          HUB_SHARDS: process.env.HUB_SHARDS ?? '3',
          // Few quota shards: many users share each (their caps must stay apart).
          QUOTA_SHARDS: '2',
          // Mail goes to the development outbox in D1 (tests/integration/account.test.ts reads it).
          DEV_OUTBOX: '1',
          // A room may be told to refuse erasures (tests/integration/account-erasure.test.ts).
          TEST_FAULTS: '1',
          // Small, so size limits and the daily quota are reached in a few uploads (files.test.ts).
          FILE_MAX_BYTES: '200000',
          FILE_DAILY_BYTES: '500000',
          TEST_MIGRATIONS: await readD1Migrations(`${root}/migrations`),
        },
      },
    })),
  ],
  test: {
    root,
    setupFiles: ['tests/setup/apply-migrations.ts'],
    testTimeout: 30_000,
    // vitest's default on two cores is one worker; two halve the suite's time here.
    maxWorkers: 2,
    projects: [
      // Each integration file gets a fresh runtime and storage: they read what others left.
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'] } },
      // Unit files share one runtime: starting one per file cost more than their tests.
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], isolate: false },
      },
    ],
  },
});
