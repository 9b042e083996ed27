/**
 * Vitest global setup for the suites that start `wrangler dev`: applies the real migrations
 * once, into a template state directory, so that each server starts from a copy of it
 * (server.ts) instead of spawning `wrangler d1 migrations apply` itself — ~10 s of CPU per
 * server, and the e2e and hardening suites start ~40 servers on two cores.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A state directory with every migration applied, to copy, never to run on. */
    migratedState: string;
  }
}

const root = new URL('../..', import.meta.url).pathname;

/** Applies every migration to a local D1 under `stateDir` (the README's `db:migrate:local`). */
export function migrate(stateDir: string): void {
  const migrated = spawnSync(
    join(root, 'node_modules/.bin/wrangler'),
    ['d1', 'migrations', 'apply', 'parlor', '--local', '--persist-to', stateDir],
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      encoding: 'utf8',
    },
  );
  if (migrated.status !== 0) throw new Error(`migrations failed: ${migrated.stderr}`);
}

export default function setup(project: TestProject) {
  const template = mkdtempSync(join(tmpdir(), 'parlor-migrated-'));
  migrate(template);
  project.provide('migratedState', template);
  return () => rmSync(template, { recursive: true, force: true });
}
