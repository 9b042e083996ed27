// What the Worker's own modules cost an isolate at start: the Worker entry (with the
// Durable Objects it exports) bundled by esbuild for Node, `cloudflare:workers` stubbed, and
// the CPU time (user + system, which a busy machine inflates less than wall time) of
// `await import()` of it in fresh Node processes: V8 parsing and evaluating every module's
// top level, without workerd's and wrangler's start-up around it. Give git revisions to
// compare (each one's src/ is bundled as it was; `.` is the working tree); runs interleave.
// Usage: node bench/module-eval.mjs [--runs 9] [rev|.]...
import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 9;
const revs = args.length ? args : ['.'];
const work = join(ROOT, '.tmp/module-eval');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const stub = join(work, 'cloudflare-workers.js');
writeFileSync(
  stub,
  'export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }\n' +
    'export class WorkerEntrypoint {}\nexport class RpcTarget {}\nexport const env = {};\n',
);
const probe = join(work, 'probe.mjs');
writeFileSync(
  probe,
  'const t0 = process.cpuUsage();\nawait import(process.argv[2]);\n' +
    'const t = process.cpuUsage(t0);\nconsole.log(((t.user + t.system) / 1000).toFixed(1));\n',
);

const bundles = [];
for (const [i, rev] of revs.entries()) {
  let root = ROOT;
  if (rev !== '.') {
    root = join(work, `rev${i}`);
    mkdirSync(root);
    execSync(`git archive ${rev} src | tar -x -C ${root}`, { cwd: ROOT });
    symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  }
  const outfile = join(work, `worker${i}.mjs`);
  await build({
    entryPoints: [join(root, 'src/worker/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    alias: { 'cloudflare:workers': stub },
    logLevel: 'error',
  });
  bundles.push({ rev, outfile, times: [] });
}
for (let r = 0; r < runs; r++) {
  for (const b of bundles) {
    b.times.push(Number(execFileSync(process.execPath, [probe, b.outfile]).toString().trim()));
  }
}
for (const b of bundles) {
  const sorted = [...b.times].sort((x, y) => x - y);
  console.log(
    `${b.rev}: import CPU median ${sorted[Math.floor(sorted.length / 2)]} ms [${sorted.join(', ')}]`,
  );
}
