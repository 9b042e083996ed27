/**
 * Running wrangler the way the bench needs it: under Node 22 (wrangler 4 refuses older),
 * metrics and the local trace collector off, state in a throwaway `--persist-to` directory.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const bundledNode = join(ROOT, 'node_modules/node/bin/node');
/** Node 22 from the `node` devDependency, else whatever runs the bench (if new enough). */
export const NODE22 = existsSync(bundledNode) ? bundledNode : process.execPath;
export const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');

/**
 * X_LOCAL_OBSERVABILITY=false turns off wrangler's local trace collector, which costs about
 * one fsync and ten writes per Durable Object invocation — the largest single cost under load.
 */
export const WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  X_LOCAL_OBSERVABILITY: 'false',
  CI: '1',
  PATH: `${join(NODE22, '..')}:${process.env.PATH}`,
};

/**
 * Arguments of `wrangler dev` for one bench server. `script` (a prebuilt bundle, run with
 * `--no-bundle`) and `assets` replace the config's entry point and assets directory.
 */
export function devArgs({ config, port, inspectorPort, persistTo, vars = {}, script, assets }) {
  return [
    WRANGLER,
    'dev',
    ...(script ? [script, '--no-bundle'] : []),
    ...(assets ? ['--assets', assets] : []),
    '--config',
    config,
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    '--persist-to',
    persistTo,
    '--show-interactive-dev-session=false',
    '--log-level',
    'warn',
    ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ];
}

/** Runs a one-shot wrangler command (migrations, d1 execute) and returns its output. */
export async function wrangler(args, { timeoutMs = 300_000, env = {} } = {}) {
  const { stdout } = await promisify(execFile)(NODE22, [WRANGLER, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...WRANGLER_ENV, ...env },
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
