// CPU per WebSocket connect: a built Worker bundle under `wrangler dev --no-bundle`, one guest
// opening and closing sockets one after another (open → `hello` → close → closed), CPU
// seconds of the workerd processes read from /proc before and after. Counts everything a
// connect costs locally: the Worker (router, middleware, JWT, D1 session check), D1 (in
// workerd), and the Durable Object accepting the socket and saying hello. Rounds alternate
// between the bundles given, so drift on a shared machine hits each alike.
// Usage: node bench/connect-cpu.mjs [--connects 500] [--rounds 2] <bundle.js>...
import WebSocket from 'ws';
import { startBundle } from './lib/bundle-server.mjs';
import { createRoom, signUpGuest } from './lib/parlor-api.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const connects = option('--connects', 500);
const rounds = option('--rounds', 2);
if (args.length === 0)
  throw new Error('usage: node bench/connect-cpu.mjs [--connects N] [--rounds N] <bundle.js>...');

function connectOnce(url, token, origin) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${token}`, origin },
      perMessageDeflate: false,
    });
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
    ws.once('error', reject);
    ws.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'hello') ws.close(1000);
    });
    ws.once('close', () => resolve());
  });
}

async function measure(server, path, token, n) {
  const url = `${server.base.replace(/^http/, 'ws')}${path}`;
  for (let i = 0; i < 20; i++) await connectOnce(url, token, server.base); // warm-up
  await new Promise((r) => setTimeout(r, 500));
  const before = server.cpu();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await connectOnce(url, token, server.base);
  const wall = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 500)); // let the objects finish their close work
  return { cpuMs: ((server.cpu() - before) * 1000) / n, wallMs: wall / n };
}

const results = new Map(args.map((b) => [b, { lobby: [], room: [] }]));
for (let round = 0; round < rounds; round++) {
  for (const bundle of args) {
    const server = await startBundle(bundle);
    try {
      const user = await signUpGuest(
        server.base,
        `cpu${round}${Math.random().toString(36).slice(2, 8)}`,
      );
      const roomId = await createRoom(
        server.base,
        user.token,
        `cpu-${Math.random().toString(36).slice(2, 8)}`,
      );
      const r = results.get(bundle);
      r.lobby.push(await measure(server, '/api/lobby/ws', user.token, connects));
      r.room.push(await measure(server, `/api/rooms/${roomId}/ws`, user.token, connects));
      console.log(
        `round ${round + 1} ${bundle}: lobby ${r.lobby.at(-1).cpuMs.toFixed(2)} ms CPU/connect, room ${r.room.at(-1).cpuMs.toFixed(2)}`,
      );
    } finally {
      await server.stop();
    }
  }
}
const fmt = (xs, k) => xs.map((x) => x[k].toFixed(2)).join(', ');
for (const [bundle, r] of results) {
  console.log(`${bundle} (${connects} connects per round):`);
  for (const kind of ['lobby', 'room']) {
    console.log(
      `  ${kind}: workerd CPU ms/connect [${fmt(r[kind], 'cpuMs')}]; wall ms/connect [${fmt(r[kind], 'wallMs')}]`,
    );
  }
}
