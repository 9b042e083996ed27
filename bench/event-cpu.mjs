// CPU per stored message: a built Worker bundle under `wrangler dev --no-bundle`, one room
// with `--clients` sockets open, one of them sending `--messages` messages at `--rate` per
// second and waiting until every socket has received every message; workerd CPU seconds
// from /proc before and after, divided by the messages. Counts everything a message costs
// locally: the room's handling and storage, the frames to every socket, wrangler's proxy,
// the D1 copy (in workerd) and the timers. Rounds alternate between the bundles given, so
// drift on a shared machine hits each alike: compare bundles within one run only.
// Usage: node bench/event-cpu.mjs [--clients 50] [--messages 1000] [--rate 100] [--rounds 3] <bundle.js>...
import WebSocket from 'ws';
import { startBundle } from './lib/bundle-server.mjs';
import { createRoom, joinRoom, runTag, signUpGuest } from './lib/parlor-api.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const clients = option('--clients', 50);
const messages = option('--messages', 1000);
const rate = option('--rate', 100);
const rounds = option('--rounds', 3);
if (args.length === 0)
  throw new Error(
    'usage: node bench/event-cpu.mjs [--clients N] [--messages N] [--rate N] [--rounds N] <bundle.js>...',
  );

// Guests from one address, and the sender's rate raised, by configuration only.
const VARS = { GUEST_BURST: '100000', MESSAGE_BURST: '100000', MESSAGE_RATE_PER_SECOND: '100000' };

/** Opens a room socket; `onMessage(count)` hears how many `message` events arrived in it. */
function open(base, roomId, token, onMessages) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/rooms/${roomId}/ws`, {
      headers: { authorization: `Bearer ${token}`, origin: base },
      perMessageDeflate: false,
    });
    ws.once('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      const frames = frame.type === 'batch' ? frame.frames : [frame];
      if (frames.some((f) => f.type === 'hello')) resolve(ws);
      const n = frames.filter((f) => f.type === 'message').length;
      if (n) onMessages(n);
    });
  });
}

async function round(server) {
  const users = [];
  for (let i = 0; i < clients; i++) users.push(await signUpGuest(server.base, `e${runTag()}`));
  const roomId = await createRoom(server.base, users[0].token, `cpu-${runTag()}`);
  for (const u of users.slice(1)) await joinRoom(server.base, u.token, roomId);
  let received = 0;
  const sockets = [];
  for (const u of users)
    sockets.push(await open(server.base, roomId, u.token, (n) => (received += n)));
  await new Promise((r) => setTimeout(r, 1000));
  const expected = messages * clients;
  const before = server.cpu();
  const t0 = performance.now();
  for (let i = 0; i < messages; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sockets[0].send(
      JSON.stringify({ type: 'send', clientId: `c${i}-${runTag()}`, text: `message ${i}` }),
    );
  }
  while (received < expected && performance.now() - t0 < (messages / rate) * 1000 + 30_000)
    await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 1500)); // the last D1 copy and timers
  const cpuMs = ((server.cpu() - before) * 1000) / messages;
  for (const ws of sockets) ws.terminate();
  return { cpuMs, undelivered: expected - received };
}

const results = new Map(args.map((b) => [b, []]));
for (let r = 0; r < rounds; r++) {
  for (const bundle of args) {
    const server = await startBundle(bundle, VARS);
    try {
      const result = await round(server);
      results.get(bundle).push(result);
      console.log(
        `round ${r + 1} ${bundle}: ${result.cpuMs.toFixed(2)} ms CPU per message, ${result.undelivered} undelivered`,
      );
    } finally {
      await server.stop();
    }
  }
}
for (const [bundle, rs] of results) {
  const sorted = rs.map((x) => x.cpuMs).sort((a, b) => a - b);
  console.log(
    `${bundle}: workerd CPU ms per message [${rs.map((x) => x.cpuMs.toFixed(2)).join(', ')}], median ${sorted[Math.floor((sorted.length - 1) / 2)].toFixed(2)} (${clients} sockets, ${messages} messages at ${rate}/s)`,
  );
}
