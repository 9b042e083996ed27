/** Issues 5's and 9's targets, each checked against the results: met, or missed and by how much. */
const f = (x, d = 1) =>
  x == null ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d });

function check(name, measured, ok, miss, profile = '') {
  return [name, measured, ok ? 'met' : `**missed** ${miss}`, ok ? '' : profile];
}

/** What the server did over a load scenario: its CPU against the wall time, and frames sent. */
function loadProfile(sc) {
  const r = sc.resources;
  const cpu =
    r.sendCpuSeconds != null
      ? `server CPU ${f(r.sendCpuSeconds)} s over ${f(r.sendWindowSeconds)} s of send + drain ` +
        `(${f(r.cpuSeconds)} s with sign-up and connect)`
      : `server CPU ${f(r.cpuSeconds)} s over the scenario`;
  const busiest = Math.max(...(sc.timeline?.deliveries ?? [0]));
  return (
    `${cpu}; ` +
    `${f(sc.delivery.frames ?? sc.counters.frames, 0)} frames for ${f(sc.delivery.delivered, 0)} deliveries; ` +
    `busiest 250 ms took ${f((100 * busiest) / sc.delivery.delivered)}% of them`
  );
}

/** Growth of each process's RSS while the idle connections were held, e.g. "workerd +380 MB". */
function rssByProcess(sc) {
  const by = sc.resources.rssHeldByProcessMB ?? {};
  return (
    Object.entries(by)
      .filter(([, v]) => Math.abs(v) >= 1)
      .map(([comm, v]) => `${comm} ${v >= 0 ? '+' : ''}${f(v, 0)} MB`)
      .join(', ') || '–'
  );
}

/** ", median of 5 runs (7.1–9.4 ms)" when the scenario ran more than once (`--repeat`). */
function spread(sc) {
  const p99s = (sc?.repeats ?? []).map((x) => x.p99).filter((x) => x != null);
  if (p99s.length < 2) return '';
  return ` (median of ${p99s.length} runs, ${f(Math.min(...p99s))}–${f(Math.max(...p99s))})`;
}

export function targetRows(r) {
  const rows = [];
  const parlor = r.servers.parlor?.scenarios ?? {};
  const floor = r.servers.floor?.scenarios ?? {};
  const s3 = parlor[3];
  if (s3?.latencyMs) {
    const { undelivered } = s3.delivery;
    const p99 = s3.latencyMs.p99;
    rows.push(
      check(
        'S3: zero undelivered, p99 ≤ 250 ms',
        `${f(undelivered, 0)} undelivered, p99 ${f(p99)} ms`,
        undelivered === 0 && p99 <= 250,
        [
          undelivered ? `${f(undelivered, 0)} undelivered` : '',
          p99 > 250 ? `p99 ${f(p99 / 250, 2)}× the target` : '',
        ]
          .filter(Boolean)
          .join(', '),
        loadProfile(s3),
      ),
    );
  }
  const sio = r.servers.socketio?.scenarios ?? {};
  const durable = r.servers.durable?.scenarios ?? {};
  const durableP99 = (n) => durable[n]?.latencyMs?.p99;
  const d1P99 = (n) => r.servers.d1floor?.scenarios[n]?.latencyMs?.p99;
  const a3 = s3?.latencyMs?.p99;
  const b3 = sio[3]?.latencyMs?.p99;
  if (a3 != null && b3) {
    const d3 = durableP99(3);
    rows.push(
      check(
        "S3 (issue 9): p99 below Socket.IO's in the same run",
        `${f(a3)}${spread(s3)} vs ${f(b3)}${spread(sio[3])} ms` +
          (d3 ? `; durable floor ${f(d3)} ms` : ''),
        a3 < b3,
        `by ${f(a3 - b3)} ms`,
        loadProfile(s3),
      ),
    );
  }
  // Issue 9 asks S1 (100 msg/s) within 1.5× of the floor; issue 5 asked S2 within 2×.
  for (const [n, allowed] of [
    [1, 1.5],
    [2, 2],
  ]) {
    const a = parlor[n]?.latencyMs?.p99;
    const b = floor[n]?.latencyMs?.p99;
    if (a == null || !b) continue;
    const d = durableP99(n);
    const d1 = d1P99(n);
    rows.push(
      check(
        `S${n}: p99 within ${allowed}× of the floor's`,
        `${f(a)}${spread(parlor[n])} vs ${f(b)}${spread(floor[n])} ms = ${f(a / b, 2)}×` +
          (d ? `; vs the durable floor's ${f(d)} ms = ${f(a / d, 2)}×` : '') +
          (d1 ? `; vs the D1 floor's ${f(d1)} ms = ${f(a / d1, 2)}×` : ''),
        a / b <= allowed,
        `by ${f((a / b / allowed - 1) * 100)}% over the ${allowed}× allowed`,
        `${loadProfile(parlor[n])}; floor: ${loadProfile(floor[n])}`,
      ),
    );
  }
  const a4 = parlor[4]?.resources?.rssPerConnectionKB;
  const b4 = floor[4]?.resources?.rssPerConnectionKB;
  if (a4 != null && b4) {
    rows.push(
      check(
        "S4: RSS per idle connection within 1.2× of the floor's",
        `${f(a4)} vs ${f(b4)} KB = ${f(a4 / b4, 2)}×`,
        a4 / b4 <= 1.2,
        `by ${f((a4 / b4 / 1.2 - 1) * 100)}% over the 1.2× allowed`,
        `by process while held, Parlor: ${rssByProcess(parlor[4])}; floor: ${rssByProcess(floor[4])}`,
      ),
    );
  }
  const h = r.history;
  if (h?.latest) {
    const l = h.latest.p99;
    const d = h.deep.p99;
    const auth = h.auth
      ? `GET /api/me alone (session check, one D1 query): p50 ${f(h.auth.p50)}, p99 ${f(h.auth.p99)} ms`
      : '';
    const floor = h.d1Row
      ? `; local D1 floor, one-row query through the Worker: p50 ${f(h.d1Row.p50)}, p99 ${f(h.d1Row.p99)} ms (Worker alone p50 ${f(h.ping.p50)}, p99 ${f(h.ping.p99)} ms)`
      : '';
    rows.push(
      check(
        'S5: latest page p99 ≤ 20 ms',
        `${f(l)} ms at ${f(h.messages, 0)} messages`,
        l <= 20,
        `by ${f(l - 20)} ms`,
        auth + floor,
      ),
    );
    rows.push(
      check(
        'S5: deep page p99 within 2× of latest',
        `${f(d)} ms = ${f(d / l, 2)}×`,
        d / l <= 2,
        `by ${f((d / l / 2 - 1) * 100)}% over the 2× allowed`,
      ),
    );
  }
  const sr = r.search;
  if (sr?.queries) {
    const worst = sr.queries.filter((x) => x.target).reduce((a, b) => (b.p99 > a.p99 ? b : a));
    rows.push(
      check(
        'S10: search p99 ≤ 50 ms at 1,000,000 messages',
        `worst p99 ${f(worst.p99)} ms (${worst.kind}); GET /api/me p99 ${f(sr.auth.p99)} ms`,
        worst.p99 <= 50,
        `by ${f(worst.p99 - 50)} ms`,
      ),
    );
  }
  const d1 = parlor[3]?.d1;
  if (d1?.events) {
    const per = d1.d1Statements / d1.events;
    rows.push(
      check(
        'S6: ≤ 0.2 D1 statements per message under S3',
        `${f(per, 3)}`,
        per <= 0.2,
        `${f(per / 0.2, 2)}× the allowed 0.2`,
      ),
    );
  }
  return rows;
}
