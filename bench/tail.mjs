// The anatomy of a load run's latency tail, from the per-delivery dumps the load generator
// writes with BENCH_DUMP=<prefix> (one `<prefix>-<kind>-<time>.json` per run: for every
// delivery [message, receiver, latency ms, ms before the server stored it or null, sent at]).
//
//   BENCH_DUMP=/tmp/d/s1 npm run bench -- --only=floor,parlor,1 --repeat=5
//   node bench/tail.mjs /tmp/d
//
// A stall is a stretch in which some message reached even its fastest receiver more than
// STALL_MS late: every socket waited, so the server (or the process it shares a core with)
// was busy elsewhere, not one slow client. For each run: the percentiles, the stalls (when,
// how long the first waited), and how many of the deliveries at or above the p99 fell in one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const STALL_MS = 15;
/** Messages sent within this long of the previous late one belong to the same stall. */
const SAME_STALL_MS = 200;

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node bench/tail.mjs <directory of BENCH_DUMP files>');
  process.exit(64);
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function analyse(rows) {
  const sorted = rows.map((r) => r[2]).sort((a, b) => a - b);
  const p99 = percentile(sorted, 0.99);
  const start = Math.min(...rows.map((r) => r[4]));
  const messages = new Map();
  for (const [k, , latency, , sentAt] of rows) {
    const m = messages.get(k) ?? { sentAt, fastest: Infinity };
    m.fastest = Math.min(m.fastest, latency);
    messages.set(k, m);
  }
  const stalls = [];
  const late = [...messages.entries()]
    .filter(([, m]) => m.fastest > STALL_MS)
    .sort((a, b) => a[1].sentAt - b[1].sentAt);
  const inStall = new Set();
  for (const [k, m] of late) {
    const last = stalls.at(-1);
    if (last && m.sentAt - last.lastSentAt <= SAME_STALL_MS) {
      last.lastSentAt = m.sentAt;
      last.messages += 1;
      last.worst = Math.max(last.worst, m.fastest);
    } else {
      stalls.push({ at: m.sentAt - start, lastSentAt: m.sentAt, messages: 1, worst: m.fastest });
    }
    inStall.add(k);
  }
  const tail = rows.filter((r) => r[2] >= p99);
  return {
    deliveries: rows.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99,
    stalls,
    tailInStalls: tail.filter((r) => inStall.has(r[0])).length / Math.max(1, tail.length),
  };
}

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const a = analyse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  const when = a.stalls
    .map(
      (s) => `${(s.at / 1000).toFixed(1)} s (${s.messages} msg, fastest ${s.worst.toFixed(0)} ms)`,
    )
    .join(', ');
  console.log(
    `${file}: p50 ${a.p50} p95 ${a.p95} p99 ${a.p99} ms; ${a.stalls.length} stalls` +
      `${when ? ': ' + when : ''}; ${Math.round(a.tailInStalls * 100)}% of the p99 tail in them`,
  );
}
