// Cold start of built Worker bundles under `wrangler dev --no-bundle` (so no esbuild step):
// for each run, a fresh wrangler dev + workerd on a free port, timed from spawn to the first
// answer of a cheap route (GET /api/me without a session: 401 through Hono and the
// middleware). workerd compiles and evaluates the Worker's modules when it starts, so this
// includes parsing the bundle; wrangler's own start-up is the same for every bundle, so only
// differences between bundles mean anything. Bundles are interleaved run by run, so drift on
// a shared machine hits each alike.
// Usage: node bench/cold-start.mjs [--runs 7] [--floor] <bundle.js>...
//   (bundles from `wrangler deploy --dry-run --outdir <dir>`; wrangler.toml gives the bindings)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './lib/server.mjs';

const args = process.argv.slice(2);
let runs = 7;
const runsAt = args.indexOf('--runs');
if (runsAt >= 0) runs = Number(args.splice(runsAt, 2)[1]);
// `--floor`: add a one-line Worker (with empty classes for wrangler.toml's Durable Objects):
// wrangler's and workerd's own start-up, the part no bundle change can cut.
const floorAt = args.indexOf('--floor');
if (floorAt >= 0) {
  const dir = join(new URL('..', import.meta.url).pathname, '.tmp/cold-floor');
  mkdirSync(dir, { recursive: true });
  const toml = readFileSync(join(new URL('..', import.meta.url).pathname, 'wrangler.toml'), 'utf8');
  const names = [...toml.matchAll(/^class_name\s*=\s*"(\w+)"/gm)].map((m) => m[1]);
  const classes = names.map((n) => `export class ${n} extends DurableObject {}`);
  writeFileSync(
    join(dir, 'index.js'),
    [
      `import { DurableObject } from 'cloudflare:workers';`,
      ...classes,
      `export default { fetch: () => new Response('', { status: 401 }) };`,
      '',
    ].join('\n'),
  );
  args.splice(floorAt, 1, '.tmp/cold-floor/index.js');
}
if (args.length === 0)
  throw new Error('usage: node bench/cold-start.mjs [--runs N] <bundle.js>...');

const root = new URL('..', import.meta.url).pathname;
const wrangler = join(root, 'node_modules/.bin/wrangler');
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  X_LOCAL_OBSERVABILITY: 'false',
  NO_COLOR: '1',
};

/** CPU seconds (user + system) so far of the workerd processes in a process group (Linux /proc). */
function workerdCpu(pgid) {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
    if (comm === 'workerd' && Number(fields[2]) === pgid)
      ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

async function once(bundle) {
  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), 'parlor-cold-'));
  const t0 = performance.now();
  const child = spawn(
    wrangler,
    [
      'dev',
      bundle,
      '--no-bundle',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      state,
      '--inspector-port',
      '0',
      '--show-interactive-dev-session=false',
      '--var',
      'SESSION_SECRET:bench-secret-0123456789abcdef0123456789abcdef',
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  let tReady = NaN;
  const onData = (d) => {
    output += d;
    if (Number.isNaN(tReady) && /Ready on/.test(output)) tReady = performance.now();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`wrangler exited:\n${output}`);
      if (performance.now() - t0 > 60_000) throw new Error(`no answer in 60 s:\n${output}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/me`);
        await res.arrayBuffer();
        if (res.status !== 401) throw new Error(`expected 401, got ${res.status}`);
        const t1 = performance.now();
        return { total: t1 - t0, afterReady: t1 - tReady, cpu: workerdCpu(child.pid) * 1000 };
      } catch (e) {
        if (e.message.startsWith('expected')) throw e;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  } finally {
    process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    rmSync(state, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map(args.map((b) => [b, []]));
await once(args[0]); // warm the file cache and wrangler's first-run work; not counted
for (let i = 0; i < runs; i++) for (const b of args) results.get(b).push(await once(b));
for (const [b, rs] of results) {
  const total = rs.map((r) => r.total);
  const after = rs.map((r) => r.afterReady);
  const cpu = rs.map((r) => r.cpu);
  console.log(
    `${b}: spawn → first 401 median ${median(total).toFixed(0)} ms [${total.map((x) => x.toFixed(0)).join(', ')}]; ` +
      `"Ready" → first 401 median ${median(after).toFixed(0)} ms [${after.map((x) => x.toFixed(0)).join(', ')}]; ` +
      `workerd CPU to first 401 median ${median(cpu).toFixed(0)} ms [${cpu.map((x) => x.toFixed(0)).join(', ')}]`,
  );
}
