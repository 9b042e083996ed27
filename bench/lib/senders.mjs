/**
 * The offered load: sender s (clients 0..S-1) sends its n-th message at
 * start + s/(S·rate) + n/rate, so senders interleave instead of firing together. A late timer
 * sends everything already due at once; the largest lateness is reported as `maxLagMs`.
 */
import { now, round } from './stats.mjs';

// BENCH_PAD=<n> appends n characters to every message (how much frame size costs a server).
const PAD = process.env.BENCH_PAD ? ':' + 'x'.repeat(Number(process.env.BENCH_PAD)) : '';

export function runSenders({ cfg, conns, onSent, onStart }) {
  const { senders, messages, rate } = cfg;
  const start = now() + 50;
  onStart?.(start);
  const due = (s, n) => start + (s / (senders * rate) + n / rate) * 1000;
  const next = new Int32Array(senders);
  let sent = 0;
  let skipped = 0;
  let maxLag = 0;
  let firstSendAt = null;
  let lastSendAt = null;
  const total = senders * messages;

  return new Promise((resolve) => {
    function tick() {
      const t = now();
      for (let s = 0; s < senders; s++) {
        while (next[s] < messages && due(s, next[s]) <= t) {
          const n = next[s]++;
          const conn = conns[s];
          if (!conn) {
            skipped++;
            continue;
          }
          const at = now();
          conn.send(`t:${at.toFixed(3)}:${s}:${n}${PAD}`);
          onSent(s, n);
          maxLag = Math.max(maxLag, at - due(s, n));
          firstSendAt ??= at;
          lastSendAt = at;
          sent++;
        }
      }
      if (sent + skipped >= total) {
        return resolve({ sent, skipped, maxLagMs: round(maxLag), firstSendAt, lastSendAt });
      }
      let soonest = Infinity;
      for (let s = 0; s < senders; s++) {
        if (next[s] < messages) soonest = Math.min(soonest, due(s, next[s]));
      }
      setTimeout(tick, Math.max(0, soonest - now()));
    }
    tick();
  });
}
