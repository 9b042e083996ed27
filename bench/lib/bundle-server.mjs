/**
 * A built Worker bundle under `wrangler dev --no-bundle` on a fresh, migrated local state
 * (connect-cpu.mjs, join-storm.mjs, event-cpu.mjs): `{ base, cpu(), stop() }`, cpu() being the workerd
 * processes' CPU seconds so far.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleTree } from './proctree.mjs';
import { freePort } from './server.mjs';
import { NODE22, ROOT, WRANGLER_ENV, devArgs, wrangler } from './wrangler.mjs';

export async function startBundle(bundle, extraVars = {}) {
  const persistTo = mkdtempSync(join(tmpdir(), 'parlor-connect-'));
  await wrangler(['d1', 'migrations', 'apply', 'parlor', '--local', '--persist-to', persistTo]);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const vars = {
    SESSION_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    APP_ORIGINS: base,
    ...extraVars,
  };
  const child = spawn(
    NODE22,
    devArgs({
      config: join(ROOT, 'wrangler.toml'),
      port,
      inspectorPort: await freePort(),
      persistTo,
      vars,
      script: bundle,
    }),
    { cwd: ROOT, env: { ...process.env, ...WRANGLER_ENV }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (const t0 = Date.now(); ;) {
    if (Date.now() - t0 > 60_000) throw new Error('wrangler dev did not answer in 60 s');
    try {
      await fetch(`${base}/api/me`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    base,
    cpu: () => sampleTree(child.pid).byComm.workerd?.cpuSeconds ?? NaN,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}
