/**
 * The four servers under test and how to start each on a free port of 127.0.0.1, pinned to
 * core 0 (the load generator gets core 1). Each `start` returns `{ base, server, notes }`.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { join } from 'node:path';
import { freePort, startServer } from './server.mjs';
import { sleep } from './stats.mjs';
import { devArgs, NODE22, ROOT, wrangler, WRANGLER_ENV } from './wrangler.mjs';

export const SERVER_CPU = 0;
export const LOADGEN_CPU = 1;

/** Parlor's per-user message limit, raised by configuration only (wrangler `--var`). */
export const PARLOR_BENCH_VARS = {
  BENCH: '1',
  MESSAGE_BURST: '100000',
  MESSAGE_RATE_PER_SECOND: '100000',
  // The bench signs up every client as a guest from one address.
  GUEST_BURST: '100000',
  // Experiments: PARLOR_BENCH_VARS="ROOM_FRAME_PERIOD_MS:10,ROOM_FRAMES_PER_SECOND:3000".
  ...Object.fromEntries(
    (process.env.PARLOR_BENCH_VARS ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split(':')),
  ),
};

async function startWrangler(name, tmp, config, vars, extra = {}, logName = name) {
  const port = await freePort();
  const persistTo = join(tmp, name, 'state');
  mkdirSync(persistTo, { recursive: true });
  const server = await startServer({
    cmd: NODE22,
    args: devArgs({
      config,
      port,
      inspectorPort: await freePort(),
      persistTo,
      // Requests name the server's own origin (bench/lib/parlor-api.mjs).
      vars: { APP_ORIGINS: `http://127.0.0.1:${port}`, ...vars },
      ...extra,
    }),
    env: WRANGLER_ENV,
    cwd: ROOT,
    cpu: SERVER_CPU,
    readyUrl: `http://127.0.0.1:${port}/`,
    logPath: join(tmp, `${logName}.log`),
  });
  return { base: `http://127.0.0.1:${port}`, server, persistTo };
}

async function startNode(name, tmp, script) {
  const port = await freePort();
  const server = await startServer({
    cmd: process.execPath,
    args: [join(ROOT, script), String(port)],
    cwd: ROOT,
    cpu: SERVER_CPU,
    readyUrl: `http://127.0.0.1:${port}/`,
    logPath: join(tmp, `${name}.log`),
  });
  return { base: `http://127.0.0.1:${port}`, server };
}

/**
 * Parlor as it is when the bench starts: bundled once, with a copy of its config and assets.
 * `wrangler dev` reloads the Worker whenever a watched file changes, and a reload drops every
 * socket and every Durable Object's memory — in a repository others are editing, mid-run.
 */
async function snapshotParlor(dir) {
  const config = join(dir, 'wrangler.toml');
  // One bundle per bench run: every Parlor server of the run serves the same code.
  if (existsSync(config) && existsSync(join(dir, 'bundle/index.js'))) return dir;
  const bundle = [
    'deploy',
    '--dry-run',
    '--outdir',
    join(dir, 'bundle'),
    '--config',
    join(ROOT, 'wrangler.toml'),
  ];
  // A tree caught mid-edit may not build; give it two more chances before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      await wrangler(bundle);
      break;
    } catch (err) {
      if (attempt === 3)
        throw new Error(`bundling Parlor failed: ${plain(err.stderr || err.message)}`);
      await sleep(15_000);
    }
  }
  cpSync(join(ROOT, 'wrangler.toml'), config);
  cpSync(join(ROOT, 'dist/web'), join(dir, 'assets'), { recursive: true });
  return dir;
}

/** wrangler's output without colour codes or its trailing log-file notice. */
const plain = (text) =>
  String(text)
    .replace(/\x1b\[[0-9;]*m/g, '')
    .replace(/🪵.*$/su, '')
    .trim()
    .slice(0, 2000);

/** The floor Worker from a copy, unbundled, like Parlor: nothing outside the bench can reload it. */
function startFloor(tmp, name, vars) {
  const dir = copyFloor(tmp, name);
  return startWrangler(name, tmp, join(dir, 'wrangler.toml'), vars, {
    script: join(dir, 'worker.js'),
  });
}

function copyFloor(tmp, name) {
  const dir = join(tmp, name, 'snapshot');
  cpSync(join(ROOT, 'bench/floor'), dir, {
    recursive: true,
    filter: (f) => !f.includes('.wrangler'),
  });
  return dir;
}

/**
 * The floor with Parlor's code imported beside it, evaluated in the floor's isolate (its heap
 * is Parlor's at start) and never called: `whole`, the bench's Parlor bundle (the Worker and
 * every Durable Object, as wrangler runs them: one isolate); `objects`, only the Durable
 * Objects' modules from src/durable (what a room's isolate would hold if the objects were a
 * script of their own).
 */
async function startHeavyFloor(tmp, name, what) {
  const dir = copyFloor(tmp, name);
  const imports =
    what === 'whole'
      ? [join(await snapshotParlor(join(tmp, 'parlor')), 'bundle/index.js')]
      : [
          'src/shared/zod-messages.ts',
          ...['room', 'relay', 'hub', 'user-quota'].map((m) => `src/durable/${m}.ts`),
        ].map((f) => join(ROOT, f));
  const entry = join(dir, 'heavy.js');
  writeFileSync(
    entry,
    imports.map((f, i) => `import * as m${i} from ${JSON.stringify(f)};\n`).join('') +
      `globalThis.parlorModules = [${imports.map((_, i) => `m${i}`).join(', ')}];\n` +
      "export { FloorRoom, default } from './worker.js';\n",
  );
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'import'],
    external: ['cloudflare:*', 'node:*'],
    outfile: join(dir, 'heavy-bundle.js'),
    logLevel: 'error',
  });
  const config = join(dir, 'wrangler.toml');
  const toml = readFileSync(config, 'utf8');
  // Parlor's modules import node:crypto and friends.
  writeFileSync(
    config,
    toml.replace(/^main = .*$/m, '$&\ncompatibility_flags = ["nodejs_compat"]'),
  );
  return startWrangler(name, tmp, config, {}, { script: join(dir, 'heavy-bundle.js') });
}

export const TARGETS = {
  parlor: {
    label: 'Parlor (wrangler dev)',
    /**
     * `prepare(persistTo)` runs before the server starts: migrations, then any seeding.
     * Options for servers started in turn on one state (scenarios 8–9): `name` (state dir
     * `<tmp>/<name>/state`, migrated once), `logName`, extra `vars`, and a shared `secret`
     * so the sessions signed up under one are valid under the next.
     */
    async start(tmp, prepare, { name = 'parlor', logName = name, vars = {}, secret } = {}) {
      const persistTo = join(tmp, name, 'state');
      if (!existsSync(persistTo)) {
        mkdirSync(persistTo, { recursive: true });
        await wrangler([
          'd1',
          'migrations',
          'apply',
          'parlor',
          '--local',
          '--persist-to',
          persistTo,
        ]);
      }
      await prepare?.(persistTo);
      const snapshot = await snapshotParlor(join(tmp, 'parlor'));
      const all = {
        ...PARLOR_BENCH_VARS,
        ...vars,
        SESSION_SECRET: secret ?? randomBytes(32).toString('hex'),
      };
      return startWrangler(
        name,
        tmp,
        join(snapshot, 'wrangler.toml'),
        all,
        { script: join(snapshot, 'bundle/index.js'), assets: join(snapshot, 'assets') },
        logName,
      );
    },
  },
  floor: {
    label: 'Floor DO (wrangler dev)',
    start: (tmp) => startFloor(tmp, 'floor', {}),
  },
  heavyfloor: {
    label: "Floor with Parlor's modules loaded (never called)",
    start: (tmp) => startHeavyFloor(tmp, 'heavyfloor', 'whole'),
  },
  objfloor: {
    label: "Floor with Parlor's Durable Object modules loaded (never called)",
    start: (tmp) => startHeavyFloor(tmp, 'objfloor', 'objects'),
  },
  durable: {
    label: 'Durable floor: one SQLite write per frame',
    start: (tmp) => startFloor(tmp, 'durable', { DURABLE: '1' }),
  },
  d1floor: {
    label: 'D1 floor: the durable floor plus a D1 copy per 100 ms',
    start: (tmp) => startFloor(tmp, 'd1floor', { DURABLE: '1', D1_COPY: '1' }),
  },
  socketio: {
    label: 'Socket.IO (Node)',
    start: (tmp) => startNode('socketio', tmp, 'bench/servers/socketio.mjs'),
  },
  ws: {
    label: 'ws (Node)',
    start: (tmp) => startNode('ws', tmp, 'bench/servers/ws.mjs'),
  },
};
