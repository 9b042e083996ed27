#!/usr/bin/env node
/**
 * The load generator, run as its own process: opens `clients` connections spread over `rooms`
 * rooms, optionally holds them idle, then has `senders` of them (round-robin over the rooms)
 * send `messages` each at `rate` msg/s. Every other client in the sender's room must receive
 * each message; latency is receipt time minus the send time carried in the text. Prints one
 * JSON report on stdout and exits by itself: every phase is bounded in count and in time.
 *
 *   node bench/loadgen.mjs --kind=ws --base=http://127.0.0.1:8080 --clients=50 --senders=5 \
 *     --messages=200 --rate=20 [--rooms=1 --hold=0 --drain=10000 --state=DIR]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { createDeliveries } from './lib/deliveries.mjs';
import { mapLimit, withTimeout } from './lib/pool.mjs';
import { runSenders } from './lib/senders.mjs';
import { now, round, sleep, summarize } from './lib/stats.mjs';

const ADAPTERS = {
  floor: './adapters/raw.mjs',
  heavyfloor: './adapters/raw.mjs',
  objfloor: './adapters/raw.mjs',
  durable: './adapters/raw.mjs',
  d1floor: './adapters/raw.mjs',
  ws: './adapters/raw.mjs',
  socketio: './adapters/socketio.mjs',
  parlor: './adapters/parlor.mjs',
};

const { values: arg } = parseArgs({
  options: {
    kind: { type: 'string' },
    base: { type: 'string' },
    clients: { type: 'string', default: '50' },
    rooms: { type: 'string', default: '1' },
    senders: { type: 'string', default: '1' },
    messages: { type: 'string', default: '100' },
    rate: { type: 'string', default: '10' },
    hold: { type: 'string', default: '0' },
    drain: { type: 'string', default: '10000' },
    tag: { type: 'string', default: `lg${Date.now().toString(36)}` },
    state: { type: 'string' },
    'connect-concurrency': { type: 'string', default: '50' },
  },
});
const num = (k) => Number(arg[k]);
const cfg = {
  kind: arg.kind,
  base: arg.base,
  clients: num('clients'),
  rooms: num('rooms'),
  senders: num('senders'),
  messages: num('messages'),
  rate: num('rate'),
  holdMs: num('hold'),
  drainMs: num('drain'),
  tag: arg.tag,
};
if (!ADAPTERS[cfg.kind] || !cfg.base) {
  console.error(`usage: loadgen.mjs --kind=${Object.keys(ADAPTERS).join('|')} --base=URL ...`);
  process.exit(64);
}
const log = (...a) => console.error(`[loadgen ${cfg.kind}]`, ...a);

// The hard stop: whatever hangs, the process reports what it has and exits.
const deadlineMs = 240_000 + cfg.holdMs + (cfg.messages / cfg.rate + 1) * 1000 + cfg.drainMs;
setTimeout(() => finish('deadline'), deadlineMs).unref();

const adapter = await import(ADAPTERS[cfg.kind]);
const counters = { frames: 0, acks: 0, closed: 0, errors: {} };
const deliveries = createDeliveries(cfg);
const loop = monitorEventLoopDelay({ resolution: 5 });
const cpuStart = process.cpuUsage();
const phases = { start: Date.now() };
const roomOf = (i) => i % cfg.rooms;
let conns = [];
let connect = null;
let send = null;
let framesAtSend = 0;
let server = null;

async function connectAll(ctx) {
  phases.connectStart = Date.now();
  const times = [];
  const failures = {};
  const opened = await mapLimit(cfg.clients, num('connect-concurrency'), async (i) => {
    const t0 = now();
    try {
      const receive = (text, serverAt) => deliveries.receive(i, text, serverAt);
      const c = await withTimeout(
        adapter.connect(ctx, { index: i, room: roomOf(i) }, receive, counters),
        30_000,
        'connect',
      );
      times.push(now() - t0);
      return c;
    } catch (err) {
      const key = String(err?.message ?? err).slice(0, 80);
      failures[key] = (failures[key] ?? 0) + 1;
      return null;
    }
  });
  phases.connected = Date.now();
  const report = { ...summarize(times), failed: cfg.clients - times.length, failures };
  return { opened, report: { ...report, totalMs: phases.connected - phases.connectStart } };
}

/** Server-side counters across the send phase, read once the last D1 copy has landed. */
async function settledStatsDelta(ctx, before) {
  let last = null;
  for (let i = 0; i < 10; i++) {
    await sleep(300);
    const stats = await adapter.serverStats(ctx);
    if (last && JSON.stringify(stats) === JSON.stringify(last)) break;
    last = stats;
  }
  return Object.fromEntries(Object.keys(last).map((k) => [k, last[k] - (before[k] ?? 0)]));
}

let finished = false;
function finish(ended) {
  if (finished) return;
  finished = true;
  loop.disable();
  const cpu = process.cpuUsage(cpuStart);
  const dump = deliveries.dump();
  if (dump)
    writeFileSync(`${process.env.BENCH_DUMP}-${cfg.kind}-${Date.now()}.json`, JSON.stringify(dump));
  const report = {
    kind: cfg.kind,
    config: cfg,
    ended,
    phases,
    connect,
    send,
    delivery: deliveries.report({ ...send, frames: counters.frames - framesAtSend }),
    latencyMs: deliveries.latency(),
    latencySplitMs: deliveries.latencySplit(),
    timeline: deliveries.timeline(),
    counters,
    server,
    loadgen: {
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
      eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6, 1),
    },
  };
  process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(0));
  for (const c of conns) c?.close();
}

try {
  const prepare = adapter.prepare({ ...cfg, stateDir: arg.state, log });
  const ctx = await withTimeout(prepare, 180_000, 'prepare');
  phases.prepared = Date.now();
  ({ opened: conns, report: connect } = await connectAll(ctx));
  log(`connected ${cfg.clients - connect.failed}/${cfg.clients} in ${connect.totalMs} ms`);
  if (cfg.holdMs > 0) await sleep(cfg.holdMs);
  phases.holdEnd = Date.now();

  loop.enable();
  const statsBefore = await adapter.serverStats?.(ctx).catch((err) => {
    server = { error: String(err.message ?? err) };
  });
  framesAtSend = counters.frames;
  const roomSize = new Int32Array(cfg.rooms);
  conns.forEach((c, i) => c && roomSize[roomOf(i)]++);
  send = await runSenders({
    cfg,
    conns,
    onStart: deliveries.startedAt,
    onSent: (s, n) => deliveries.expect(s, n, roomSize[roomOf(s)] - 1),
  });
  phases.sendEnd = Date.now();

  const drainUntil = now() + cfg.drainMs;
  const pending = () => deliveries.report({ ...send, frames: 0 }).undelivered > 0;
  while (now() < drainUntil && pending()) await sleep(20);
  phases.drained = Date.now();
  if (statsBefore) {
    server = await settledStatsDelta(ctx, statsBefore).catch((err) => ({ error: String(err) }));
  }
  finish('done');
} catch (err) {
  log('failed:', err?.stack ?? err);
  counters.fatal = String(err?.message ?? err);
  finish('error');
}
