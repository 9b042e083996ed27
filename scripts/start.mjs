// `npm start`: builds the client, applies the local D1 migrations, creates .dev.vars on first
// run, then runs `wrangler dev` on one port (and the widget's demo site on the next port,
// scripts/demo-host.mjs): `npm start -- --port 8792`, `PORT=8792 npm start`,
// else 8787. The app's own origins for that port are passed as APP_ORIGINS (the Origin check
// never trusts the request's Host). Other arguments go to `wrangler dev` unchanged
// (scripts/start-args.mjs works out the commands).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { demoOrigins, ensureDemoRoom, serveDemo, waitForParlor } from './demo-host.mjs';
import { startPlan } from './start-args.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules/.bin', name);
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

function run(cmd, args) {
  const { status, error } = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (error) throw error;
  if (status !== 0) process.exit(status ?? 1);
}

const plan = startPlan(process.argv.slice(2), process.env);
if ('error' in plan) {
  console.error(plan.error);
  process.exit(2);
}

run(bin('vite'), ['build', '--config', 'src/web/vite.config.ts']);
run(bin('wrangler'), plan.migrate);
run(process.execPath, [join(root, 'scripts/dev-secret.mjs')]);

const dev = spawn(bin('wrangler'), plan.dev, { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

// The widget's demo site on the next port (DEMO_PORT to choose, DEMO_PORT=off for none).
if (process.env.DEMO_PORT !== 'off') {
  const demoPort = Number(process.env.DEMO_PORT) || plan.port + 1;
  const parlor = `http://localhost:${plan.port}`;
  startDemo(parlor, demoPort).catch((err) =>
    console.warn(`widget demo not started: ${err instanceof Error ? err.message : err}`),
  );
}

async function startDemo(parlor, port) {
  await waitForParlor(parlor);
  const stateFile = join(root, '.wrangler', 'widget-demo.json');
  const { roomId, created } = await ensureDemoRoom(parlor, demoOrigins(port), stateFile);
  await serveDemo(parlor, roomId, port);
  console.log(
    `\nWidget demo (another origin, embedding room ${roomId}${created ? ', made now' : ''}):` +
      `\n  http://localhost:${port}/ (launcher)   http://localhost:${port}/inline (inline)\n`,
  );
}
