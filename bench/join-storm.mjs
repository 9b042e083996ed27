// A storm of joins to one room: N guests each join the same new room at once, as when a link
// to a popular room is shared. Every join is one change in the room's order (the room's
// object writes D1, appends the `joined` notice and tells the joiner's hub shard as one step;
// src/durable/setting-steps.ts lets changes that queue meanwhile share a step). Reports the
// wall time until every join was answered, each join's latency, and the steps the room took.
// Rounds alternate between the bundles given (e.g. main and an earlier build), so drift on a
// shared machine hits each alike. Not part of `npm run bench`.
// Usage: node bench/join-storm.mjs [--joins 200] [--rounds 2] <bundle.js>...
import { startBundle } from './lib/bundle-server.mjs';
import { api, createRoom, joinRoom, runTag, signUpGuest } from './lib/parlor-api.mjs';
import { summarize } from './lib/stats.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const joins = option('--joins', 200);
const rounds = option('--rounds', 2);
if (args.length === 0)
  throw new Error('usage: node bench/join-storm.mjs [--joins N] [--rounds N] <bundle.js>...');

// Guests from one address, and stats from the room (`/api/_bench`), by configuration only.
const VARS = { BENCH: '1', GUEST_BURST: '100000' };

async function storm(server) {
  const owner = await signUpGuest(server.base, `own${runTag()}`);
  const roomId = await createRoom(server.base, owner.token, `storm-${runTag()}`);
  const people = [];
  for (let i = 0; i < joins; i++) people.push(await signUpGuest(server.base, `j${runTag()}`));
  const t0 = performance.now();
  const latencies = await Promise.all(
    people.map(async (p) => {
      const start = performance.now();
      await joinRoom(server.base, p.token, roomId);
      return performance.now() - start;
    }),
  );
  const wallMs = performance.now() - t0;
  const stats = await api(server.base, `/api/_bench/rooms/${roomId}/stats`, {
    token: owner.token,
  });
  const { p50, p99 } = summarize(latencies);
  return { wallMs, p50, p99, steps: stats.settingSteps?.steps ?? null };
}

const results = new Map(args.map((b) => [b, []]));
for (let round = 0; round < rounds; round++) {
  for (const bundle of args) {
    const server = await startBundle(bundle, VARS);
    try {
      const r = await storm(server);
      results.get(bundle).push(r);
      console.log(
        `round ${round + 1} ${bundle}: ${joins} joins answered in ${r.wallMs.toFixed(0)} ms (p50 ${r.p50.toFixed(0)}, p99 ${r.p99.toFixed(0)} ms), room steps ${r.steps ?? 'not reported'}`,
      );
    } finally {
      await server.stop();
    }
  }
}
for (const [bundle, rs] of results) {
  const list = (k) => rs.map((r) => (typeof r[k] === 'number' ? r[k].toFixed(0) : r[k])).join(', ');
  console.log(
    `${bundle} (${joins} joins per round): all answered in [${list('wallMs')}] ms; p99 [${list('p99')}] ms; steps [${list('steps')}]`,
  );
}
