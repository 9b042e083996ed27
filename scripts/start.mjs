// `npm start`: builds the client, applies the local D1 migrations, creates .dev.vars on first
// run, then runs `wrangler dev` on one port: `npm start -- --port 8792`, `PORT=8792 npm start`,
// else 8787. The app's own origins for that port are passed as APP_ORIGINS (the Origin check
// never trusts the request's Host). Other arguments go to `wrangler dev` unchanged.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules/.bin', name);
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

/** `--port N` or `--port=N` taken out of `args`; the rest is returned as is. */
function takePort(args) {
  const rest = [];
  let port;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--port') port = args[++i];
    else if (arg.startsWith('--port=')) port = arg.slice('--port='.length);
    else rest.push(arg);
  }
  return { port, rest };
}

function run(cmd, args) {
  const { status, error } = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' });
  if (error) throw error;
  if (status !== 0) process.exit(status ?? 1);
}

const { port: portArg, rest } = takePort(process.argv.slice(2));
const port = Number(portArg ?? process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(
    `npm start: the port must be a number from 1 to 65535, not "${portArg ?? process.env.PORT}"`,
  );
  process.exit(2);
}

run(bin('vite'), ['build', '--config', 'src/web/vite.config.ts']);
run(bin('wrangler'), ['d1', 'migrations', 'apply', 'parlor', '--local']);
run(process.execPath, [join(root, 'scripts/dev-secret.mjs')]);

const origins = rest.some((a) => a.startsWith('APP_ORIGINS:'))
  ? []
  : ['--var', `APP_ORIGINS:http://localhost:${port},http://127.0.0.1:${port}`];
const dev = spawn(bin('wrangler'), ['dev', '--port', String(port), ...origins, ...rest], {
  cwd: root,
  env,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
