#!/usr/bin/env node
/**
 * Scenarios 8 and 9's load generator (one process, pinned like loadgen.mjs), against one
 * Parlor `wrangler dev` whose process tree it samples itself at every phase boundary (server
 * CPU seconds, RSS) — so each phase's figures are exact, not the nearest 500 ms sample.
 *
 * Phases, in order (8 = room phases, 9 = lobby phases; either may be left out):
 *   solo   — client 0 alone in the global room sends `solo.messages` at `solo.rate`/s: the
 *            server CPU of an event received with almost no fan-out (ack + echo to one socket)
 *   storm  — clients 1..N-1 open sockets to the global room, one every stormMs/(N-1), without
 *            waiting for each other (open loop); connect = upgrade request → hello
 *   hold   — all held idle holdMs; RSS is sampled throughout (memory per idle socket)
 *   a, b   — senders 0..S-1 send at a fixed rate; latency at every other client; frames counted
 *   lobby  — the room sockets closed, the same clients open /api/lobby/ws within stormMs
 *   lobbyHold — held idle holdMs, RSS sampled
 *
 *   node bench/scale.mjs --base=URL --server-pid=PID --config='{"clients":2000,...}' \
 *     [--state=DIR --server-id=NAME --room --lobby]
 */
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { connect, connectLobby, prepareGlobal } from './adapters/parlor.mjs';
import { createDeliveries } from './lib/deliveries.mjs';
import { roomStats } from './lib/parlor-api.mjs';
import { withTimeout } from './lib/pool.mjs';
import { machineBusySeconds, sampleTree } from './lib/proctree.mjs';
import { runSenders } from './lib/senders.mjs';
import { now, round, sleep, summarize } from './lib/stats.mjs';

const { values: arg } = parseArgs({
  options: {
    base: { type: 'string' },
    'server-pid': { type: 'string' },
    config: { type: 'string' },
    state: { type: 'string' },
    'server-id': { type: 'string' },
    room: { type: 'boolean', default: false },
    lobby: { type: 'boolean', default: false },
  },
});
const cfg = JSON.parse(arg.config);
const base = arg.base;
const serverPid = Number(arg['server-pid']);
const log = (...a) => console.error('[scale]', ...a);
const N = cfg.clients;
// A storm on a loaded machine takes far longer than its 10 s: wait, rather than count a
// socket the server is still working through as failed (it then closes it).
const CONNECT_TIMEOUT_MS = 120_000;

const report = { config: cfg, phases: {}, ended: null };
const counters = { frames: 0, acks: 0, closed: 0, errors: {} };
const lobbyCounters = { frames: 0, closed: 0, chars: 0 };
let finished = false;
let roomConns = [];
let lobbyConns = [];

// Whatever hangs, report what there is and exit.
setTimeout(() => finish('deadline'), 900_000).unref();

/** A snapshot for phase accounting: server tree, this process, the whole machine. */
function mark() {
  const s = sampleTree(serverPid);
  const cpu = process.cpuUsage();
  return {
    t: Date.now(),
    serverCpu: s.cpuSeconds,
    serverRss: s.rssBytes,
    byComm: s.byComm,
    pids: s.pids,
    loadgenCpu: (cpu.user + cpu.system) / 1e6,
    busy: machineBusySeconds(),
    frames: counters.frames,
    lobbyFrames: lobbyCounters.frames,
  };
}

/** Server CPU, load-generator CPU and everyone else's between two marks. */
function account(a, b) {
  const server = b.serverCpu - a.serverCpu;
  const loadgen = b.loadgenCpu - a.loadgenCpu;
  const byProcess = {};
  for (const [comm, x] of Object.entries(b.byComm)) {
    byProcess[comm] = round(x.cpuSeconds - (a.byComm[comm]?.cpuSeconds ?? 0), 2);
  }
  return {
    seconds: round((b.t - a.t) / 1000, 2),
    serverCpuSeconds: round(server, 2),
    serverCpuByProcess: byProcess,
    loadgenCpuSeconds: round(loadgen, 2),
    otherCpuSeconds: round(b.busy - a.busy - server - loadgen, 1),
    rssBeforeMB: round(a.serverRss / 2 ** 20, 1),
    rssAfterMB: round(b.serverRss / 2 ** 20, 1),
    serverRestarted: a.pids.some((p) => !b.pids.includes(p)) || undefined,
  };
}

async function phase(name, fn) {
  log(`${name}…`);
  const a = mark();
  const out = (await fn()) ?? {};
  const b = mark();
  report.phases[name] = { ...account(a, b), ...out, frames: b.frames - a.frames };
  if (name.startsWith('lobby')) report.phases[name].frames = b.lobbyFrames - a.lobbyFrames;
  log(`${name}: ${JSON.stringify(report.phases[name]).slice(0, 300)}`);
  return report.phases[name];
}

/** Opens `indices` one every `spacingMs` (open loop); connect times and failures. */
async function storm(indices, spacingMs, open) {
  const times = [];
  const failures = {};
  const conns = [];
  const t0 = now();
  await Promise.all(
    indices.map(async (i, k) => {
      const at = t0 + k * spacingMs;
      const wait = at - now();
      if (wait > 0) await sleep(wait);
      const started = now();
      try {
        conns[i] = await withTimeout(open(i), CONNECT_TIMEOUT_MS + 10_000, 'connect');
        times.push(now() - started);
      } catch (err) {
        const key = String(err?.message ?? err).slice(0, 80);
        failures[key] = (failures[key] ?? 0) + 1;
      }
    }),
  );
  return {
    conns,
    connect: {
      ...summarize(times),
      attempted: indices.length,
      failed: indices.length - times.length,
      failures,
      totalMs: round(now() - t0, 0),
    },
  };
}

/** Holds everything idle for `ms`, sampling the server's RSS every 500 ms. */
async function hold(ms, connected, rssBaseline) {
  const rss = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await sleep(500);
    rss.push(sampleTree(serverPid).rssBytes);
  }
  rss.sort((x, y) => x - y);
  // The second half of the hold: past the connect burst's garbage, after hibernation.
  const held = rss.slice(Math.floor(rss.length / 2));
  const median = held[Math.floor(held.length / 2)];
  return {
    rssHeldMB: round(median / 2 ** 20, 1),
    rssBaselineMB: round(rssBaseline / 2 ** 20, 1),
    rssPerSocketKB: connected ? round((median - rssBaseline) / connected / 1024, 1) : null,
  };
}

/**
 * Waits (at most `maxMs`) until the server is idle — under 0.15 CPU s in a second — so work
 * left from a phase (upgrades still being accepted after a storm) is not billed to the next.
 */
async function settle(maxMs = 60_000) {
  const t0 = Date.now();
  let last = sampleTree(serverPid).cpuSeconds;
  while (Date.now() - t0 < maxMs) {
    await sleep(1000);
    const cpu = sampleTree(serverPid).cpuSeconds;
    if (cpu - last < 0.15) break;
    last = cpu;
  }
  return round((Date.now() - t0) / 1000, 1);
}

/** The room's fan-out now: its own sockets and each relay's. */
async function fanOut(ctx) {
  try {
    const s = await roomStats(base, ctx.users[0].token, 'global');
    const relays = s.relays ?? [];
    return {
      roomSockets: s.sockets,
      relays,
      maxSocketsPerObject: Math.max(s.sockets ?? 0, ...relays),
      events: s.events,
      lastSeq: s.lastSeq,
    };
  } catch (err) {
    return { error: String(err.message ?? err) };
  }
}

/**
 * One send phase: `senders` clients (0..S-1) at `rate` msg/s each; every other open socket
 * must receive each message. Texts carry the phase's tag, so a late message of an earlier
 * phase is never counted in a later one.
 */
const routes = new Map();
const route = (i, text) => routes.get(text.slice(text.lastIndexOf(':') + 1))?.receive(i, text);

async function sendPhase(tag, { senders, messages, rate }, drainMs) {
  const connected = roomConns.filter(Boolean).length;
  const deliveries = createDeliveries({ senders, messages, clients: connected });
  routes.set(tag, deliveries);
  const conns = roomConns.slice(0, senders).map((c) => c && { send: (t) => c.send(`${t}:${tag}`) });
  const framesBefore = counters.frames;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const send = await runSenders({
    cfg: { senders, messages, rate },
    conns,
    onStart: deliveries.startedAt,
    onSent: (s, n) => deliveries.expect(s, n, connected - 1),
  });
  const sendEnd = Date.now();
  const until = now() + drainMs;
  const pending = () => deliveries.report({ ...send, frames: 0 }).undelivered > 0;
  while (now() < until && pending()) await sleep(20);
  loop.disable();
  const delivery = deliveries.report({ ...send, frames: counters.frames - framesBefore });
  routes.delete(tag);
  return {
    params: { senders, messages, rate, receivers: connected - 1 },
    send: { sent: send.sent, maxLagMs: send.maxLagMs },
    drainSeconds: round((Date.now() - sendEnd) / 1000, 1),
    latencyMs: deliveries.latency(),
    delivery,
    timeline: deliveries.timeline(),
    loadgenLoopP99Ms: round(loop.percentile(99) / 1e6, 1),
  };
}

function finish(ended) {
  if (finished) return;
  finished = true;
  report.ended = ended;
  report.counters = { room: counters, lobby: lobbyCounters };
  process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(0));
  for (const c of [...roomConns, ...lobbyConns]) c?.close();
}

try {
  const ctx = await withTimeout(
    prepareGlobal({
      base,
      clients: N,
      stateDir: arg.state,
      serverId: arg['server-id'],
      log,
    }),
    400_000,
    'prepare',
  );
  // Warm-up: the first requests pay for compiling the Worker and opening D1.
  await fanOut(ctx);
  const spacing = cfg.stormMs / Math.max(1, N - 1);
  const receive = (i) => (text) => route(i, text);

  if (arg.room) {
    roomConns[0] = await connect(ctx, { index: 0, room: 0 }, receive(0), counters);
    await sleep(1000);
    await phase('solo', async () => {
      const { messages, rate } = cfg.solo;
      const acksBefore = counters.acks;
      const send = await runSenders({
        cfg: { senders: 1, messages, rate },
        conns: [{ send: (t) => roomConns[0].send(`${t}:solo`) }],
        onSent: () => {},
      });
      const until = now() + cfg.drainMs;
      while (now() < until && counters.acks - acksBefore < send.sent) await sleep(20);
      return { events: send.sent, acks: counters.acks - acksBefore };
    });

    const baseline = sampleTree(serverPid).rssBytes;
    const rest = Array.from({ length: N - 1 }, (_, k) => k + 1);
    await phase('storm', async () => {
      const r = await storm(rest, spacing, (i) =>
        connect(ctx, { index: i, room: 0, timeoutMs: CONNECT_TIMEOUT_MS }, receive(i), counters),
      );
      r.conns.forEach((c, i) => c && (roomConns[i] = c));
      // The phase (and its CPU) ends once the server has finished with the storm.
      return {
        connect: r.connect,
        sockets: roomConns.filter(Boolean).length,
        settleSeconds: await settle(),
      };
    });
    await phase('hold', async () => {
      const held = await hold(cfg.holdMs, roomConns.filter(Boolean).length, baseline);
      const f = await fanOut(ctx);
      // Per socket the server holds (room + relays), which is what the RSS grew by.
      const onServer = (f.roomSockets ?? 0) + (f.relays ?? []).reduce((a, b) => a + b, 0);
      if (onServer > 0) {
        held.socketsOnServer = onServer;
        held.rssPerSocketKB = round(((held.rssHeldMB - held.rssBaselineMB) * 1024) / onServer, 1);
      }
      return { ...held, fanOut: f };
    });
    await phase('a', () => sendPhase('a', cfg.a, cfg.drainMs));
    await phase('b', () => sendPhase('b', cfg.b, cfg.drainMs));
    report.fanOutAfter = await fanOut(ctx);

    // Close the room's sockets and let the departures settle before the lobby's baseline.
    await phase('close', async () => {
      for (const c of roomConns) c?.close();
      roomConns = [];
      await sleep(2000);
      return { settleSeconds: await settle() };
    });
  }

  if (arg.lobby) {
    const baseline = sampleTree(serverPid).rssBytes;
    const all = Array.from({ length: N }, (_, i) => i);
    await phase('lobby', async () => {
      const r = await storm(all, cfg.stormMs / N, (i) =>
        connectLobby(ctx, i, lobbyCounters, CONNECT_TIMEOUT_MS),
      );
      lobbyConns = r.conns;
      const first = {};
      for (const c of r.conns) if (c) first[c.firstFrame] = (first[c.firstFrame] ?? 0) + 1;
      return {
        connect: r.connect,
        sockets: r.conns.filter(Boolean).length,
        firstFrames: first,
        settleSeconds: await settle(),
      };
    });
    const charsBefore = lobbyCounters.chars;
    await phase('lobbyHold', async () => ({
      ...(await hold(cfg.holdMs, lobbyConns.filter(Boolean).length, baseline)),
    }));
    report.lobbyChars = lobbyCounters.chars;
    report.lobbyCharsDuringHold = lobbyCounters.chars - charsBefore;
  }
  finish('done');
} catch (err) {
  log('failed:', err?.stack ?? err);
  report.fatal = String(err?.message ?? err);
  finish('error');
}
