/**
 * The bookkeeping of one load run: which message each receiver got, how late, and how many
 * receivers each message should reach. Texts carry their own send time and identity,
 * `t:<sentAtMs>:<sender>:<n>`, so receipt needs no lookup table.
 */
import { now, round, summarize } from './stats.mjs';

/** Counts events in fixed buckets from `start`; the last bucket takes everything later. */
function timeline(bucketMs, buckets) {
  const counts = new Uint32Array(buckets);
  let from = null;
  return {
    start: (at) => (from ??= at),
    count(t) {
      if (from === null) return;
      counts[Math.min(buckets - 1, Math.max(0, Math.floor((t - from) / bucketMs)))]++;
    },
    report() {
      let last = counts.length;
      while (last > 0 && counts[last - 1] === 0) last--;
      return { bucketMs, deliveries: Array.from(counts.subarray(0, last)) };
    },
  };
}

export function createDeliveries({ senders, messages, clients }) {
  const expected = new Int32Array(senders * messages).fill(-1); // receivers per sent message
  const received = new Uint16Array(senders * messages);
  const latencies = new Float64Array(senders * messages * Math.max(1, clients));
  // Where the server says when it stored a message (Parlor's `createdAt`, its clock, the same
  // machine's), each latency splits into before the room handled the frame and after.
  const inbound = new Float64Array(latencies.length);
  const outbound = new Float64Array(latencies.length);
  let split = 0;
  // BENCH_DUMP=<file>: every delivery as message, receiver, latency, time before stored (the
  // tail's anatomy: whole messages late, or single receivers; early messages or periodic).
  const dump = process.env.BENCH_DUMP ? [] : null;
  // Deliveries per 250 ms from the first send: shows whether they trickle or come in bursts.
  const perInterval = timeline(250, 120);
  let count = 0;
  let foreign = 0;
  let lastReceiptAt = 0;

  return {
    startedAt: perInterval.start,
    expect: (s, n, receivers) => (expected[s * messages + n] = receivers),

    /** A text arrived at client `self`; `serverAt`, when the server stored it (epoch ms). */
    receive(self, text, serverAt) {
      const t = now();
      if (typeof text !== 'string' || !text.startsWith('t:')) return void foreign++;
      const [, sentAt, s, n] = text.split(':');
      if (Number(s) === self) return; // Parlor echoes to the sender too; only peers count.
      const k = Number(s) * messages + Number(n);
      if (!(k >= 0 && k < received.length)) return void foreign++;
      received[k]++;
      if (count < latencies.length) latencies[count++] = t - Number(sentAt);
      if (typeof serverAt === 'number' && split < inbound.length) {
        inbound[split] = serverAt - Number(sentAt);
        outbound[split++] = t - serverAt;
      }
      lastReceiptAt = t;
      perInterval.count(t);
      dump?.push([
        k,
        self,
        round(t - Number(sentAt)),
        typeof serverAt === 'number' ? round(serverAt - Number(sentAt)) : null,
        round(Number(sentAt)),
      ]);
    },

    /** Delivered vs expected; rates over the send span or, if longer, until the last receipt. */
    report({ firstSendAt, lastSendAt, frames }) {
      let want = 0;
      let got = 0;
      let duplicates = 0;
      for (let k = 0; k < expected.length; k++) {
        if (expected[k] < 0) continue; // never sent
        want += expected[k];
        got += Math.min(received[k], expected[k]);
        duplicates += Math.max(0, received[k] - expected[k]);
      }
      const first = firstSendAt ?? now();
      const sendSpan = Math.max(1, (lastSendAt ?? first) - first);
      const span = Math.max(sendSpan, lastReceiptAt - first);
      return {
        expected: want,
        delivered: got,
        undelivered: want - got,
        duplicates,
        foreign,
        offeredPerSec: round((want / sendSpan) * 1000, 0),
        deliveredPerSec: round((got / span) * 1000, 0),
        frames,
        framesPerDelivery: got ? round(frames / got, 4) : null,
      };
    },

    dump: () => dump,
    latency: () => summarize(latencies.subarray(0, count)),
    /** Latency before and after the server stored the message, when it said (else null). */
    latencySplit: () =>
      split === 0
        ? null
        : {
            inbound: summarize(inbound.subarray(0, split)),
            outbound: summarize(outbound.subarray(0, split)),
          },
    timeline: perInterval.report,
  };
}
