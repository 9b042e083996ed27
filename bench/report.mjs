#!/usr/bin/env node
/**
 * Renders bench results as markdown: one table per scenario, servers as rows, ratios against
 * the floor beside the absolute figures, the issue's targets met or missed (and by how much),
 * and what the figures ran on.   node bench/report.mjs [bench/results/latest.json]
 */
import { readFileSync } from 'node:fs';
import { LOAD_SCENARIOS, SERVER_ORDER } from './lib/scenarios.mjs';
import { targetRows } from './lib/targets-check.mjs';

const fmt = (x, digits = 1) =>
  x == null || Number.isNaN(x)
    ? '–'
    : Number(x).toLocaleString('en-US', { maximumFractionDigits: digits });
const ratio = (a, b) =>
  a != null && b ? `${(a / b).toLocaleString('en-US', { maximumSignificantDigits: 3 })}×` : '–';
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map((h, i) => (i ? '---:' : '---')).join('|')}|`]
    .concat(rows.map((r) => `| ${r.join(' | ')} |`))
    .join('\n');

const paramsText = (p) =>
  Object.entries(p)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

function servers(results) {
  return SERVER_ORDER.filter((k) => results.servers[k]).map((k) => [k, results.servers[k]]);
}

/** The row label, flagged when the server restarted mid-scenario (the figures are then void). */
const labelOf = (s, sc) =>
  s.label +
  (sc.serverRestarted
    ? ' ⚠ restarted mid-run'
    : sc.earlierAttempt
      ? ' (2nd attempt: restarted)'
      : '');

/** With `--repeat`: every run's p99 on each server; the table's row is the median run. */
function repeatsText(results, n) {
  const lines = servers(results)
    .map(([, s]) => [s.label, s.scenarios[n]?.repeats])
    .filter(([, runs]) => runs?.length > 1)
    .map(
      ([label, runs]) =>
        `- ${label}: p99 ${runs.map((r) => (r.p99 == null ? 'error' : fmt(r.p99))).join(', ')} ms; ` +
        `server CPU in the send window ${runs.map((r) => fmt(r.sendCpuSeconds, 2)).join(', ')} s`,
    );
  if (!lines.length) return '';
  return [
    'Each server ran this scenario several times in a row (`--repeat`); its row above is the run with the median p99. Every run, in order:',
    '',
    ...lines,
  ].join('\n');
}

function loadTable(results, n) {
  const floor = results.servers.floor?.scenarios[n];
  const durable = results.servers.durable?.scenarios[n];
  const d1floor = results.servers.d1floor?.scenarios[n];
  const rows = servers(results).map(([, s]) => {
    const sc = s.scenarios[n];
    if (!sc) return null;
    if (sc.error || !sc.latencyMs || !sc.connect)
      return [s.label, `error: ${sc.error ?? sc.ended}`, ...Array(14).fill('')];
    const l = sc.latencyMs;
    const d = sc.delivery;
    return [
      labelOf(s, sc),
      fmt(l.p50),
      fmt(l.p95),
      fmt(l.p99),
      fmt(l.max),
      ratio(l.p99, floor?.latencyMs?.p99),
      ratio(l.p99, durable?.latencyMs?.p99),
      ratio(l.p99, d1floor?.latencyMs?.p99),
      `${fmt(d.deliveredPerSec, 0)} / ${fmt(d.offeredPerSec, 0)}`,
      `${fmt(d.undelivered, 0)} of ${fmt(d.expected, 0)}`,
      d.framesPerDelivery == null
        ? '–'
        : d.framesPerDelivery.toLocaleString('en-US', { maximumSignificantDigits: 2 }),
      `${fmt(sc.connect.p50, 0)} / ${fmt(sc.connect.p99, 0)}`,
      `${fmt(sc.resources.cpuSeconds, 2)} / ${fmt(sc.resources.sendCpuSeconds, 2)}`,
      fmt(sc.resources.rssPeakMB, 0),
      `${fmt(sc.loadgen.cpuSeconds, 1)} / ${fmt(sc.loadgen.eventLoopDelayP99Ms, 0)}`,
      fmt(sc.otherCpuSeconds, 1),
    ];
  });
  return table(
    [
      'Server',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'p99 vs floor',
      'p99 vs durable floor',
      'p99 vs D1 floor',
      'delivered/s / offered',
      'undelivered',
      'frames per delivery',
      'connect p50 / p99 ms',
      'server CPU s: scenario / send window',
      'peak RSS MB',
      'load gen CPU s / loop p99 ms',
      'other processes CPU s',
    ],
    rows.filter(Boolean),
  );
}

function idleTable(results, n) {
  const floor = results.servers.floor?.scenarios[n];
  const rows = servers(results).map(([, s]) => {
    const sc = s.scenarios[n];
    if (!sc) return null;
    if (sc.error || !sc.latencyMs || !sc.connect)
      return [s.label, `error: ${sc.error ?? sc.ended}`, ...Array(9).fill('')];
    const r = sc.resources;
    return [
      labelOf(s, sc),
      `${fmt(sc.params.clients - sc.connect.failed, 0)} / ${fmt(sc.params.clients, 0)}`,
      `${fmt(sc.connect.p50, 0)} / ${fmt(sc.connect.p99, 0)}; all in ${fmt(sc.connect.totalMs / 1000, 1)} s`,
      `${fmt(r.rssBaselineMB, 0)} → ${fmt(r.rssHeldMB, 0)}`,
      fmt(r.rssPerConnectionKB, 1),
      ratio(r.rssPerConnectionKB, floor?.resources?.rssPerConnectionKB),
      `${fmt(sc.latencyMs.p50)} / ${fmt(sc.latencyMs.p99)} / ${fmt(sc.latencyMs.max)}`,
      `${fmt(sc.delivery.undelivered, 0)} of ${fmt(sc.delivery.expected, 0)}`,
      fmt(r.cpuSeconds, 2),
      fmt(sc.otherCpuSeconds, 1),
    ];
  });
  return table(
    [
      'Server',
      'connected',
      'connect p50 / p99 ms',
      'RSS MB before → held',
      'KB per connection',
      'vs floor',
      'first message after hold p50 / p99 / max ms',
      'undelivered',
      'server CPU s',
      'other processes CPU s',
    ],
    rows.filter(Boolean),
  );
}

function historySection(h) {
  if (!h) return null;
  if (h.error) return `History failed: ${h.error}`;
  const row = (name, x) => [
    name,
    fmt(x.p50),
    fmt(x.p95),
    fmt(x.p99),
    fmt(x.max),
    fmt(x.count, 0),
    fmt(x.wrongPages, 0),
  ];
  return [
    `Parlor only. ${fmt(h.messages, 0)} messages in ${fmt(h.rooms, 0)} rooms (${fmt(h.perRoom, 0)} each), seeded in ${fmt(h.seed?.seconds)} s; pages of ${h.pageSize}, one request at a time, random room each.`,
    '',
    table(
      ['Page', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'requests', 'wrong pages'],
      [
        row('latest', h.latest),
        row('deep (before ≤ seq 120)', h.deep),
        ...(h.auth ? [row('GET /api/me (auth alone, for scale)', h.auth)] : []),
        ...(h.d1Row ? [row('floor: one-row D1 query through the Worker', h.d1Row)] : []),
        ...(h.ping ? [row('floor: the Worker alone, no D1', h.ping)] : []),
      ],
    ),
    ...(h.d1Row
      ? [
          '',
          'The floors ran right after the pages, on the same seeded database: `GET /api/_bench/d1` ' +
            "(`SELECT id FROM rooms WHERE id = 'global'`, no session, no Durable Object) and " +
            '`GET /api/_bench/ping` (no D1). A history page is a session read plus the page query.',
        ]
      : []),
  ].join('\n');
}

const CONFIG_LABEL = (name, c) =>
  `${name} (ROOM_DIRECT_SOCKETS ${fmt(Number(c.vars?.ROOM_DIRECT_SOCKETS), 0)}, HUB_SHARDS ${c.vars?.HUB_SHARDS})`;

function scaleConfigs(scale) {
  return Object.entries(scale?.configs ?? {});
}

function fanOutText(f) {
  if (!f || f.error) return f?.error ?? '–';
  const relays = f.relays?.length ? ` + ${f.relays.length} relays (${f.relays.join(', ')})` : '';
  return `**${fmt(f.maxSocketsPerObject, 0)}** (room ${fmt(f.roomSockets, 0)}${relays})`;
}

function globalRoomSection(scale) {
  const rows = [];
  for (const [name, c] of scaleConfigs(scale)) {
    if (c.error || c.fatal) rows.push([CONFIG_LABEL(name, c), `error: ${c.error ?? c.fatal}`]);
    for (const k of ['a', 'b']) {
      const p = c.phases?.[k];
      if (!p?.latencyMs) continue;
      const d = p.delivery;
      rows.push([
        CONFIG_LABEL(name, c) + (p.serverRestarted ? ' ⚠ restarted' : ''),
        `(${k}) ${p.params.senders} × ${p.params.rate} msg/s × ${p.params.messages} to ${fmt(p.params.receivers, 0)}`,
        fmt(p.latencyMs.p50),
        fmt(p.latencyMs.p95),
        fmt(p.latencyMs.p99),
        fmt(p.latencyMs.max),
        `${fmt(d.undelivered, 0)} of ${fmt(d.expected, 0)}`,
        `${fmt(d.deliveredPerSec, 0)} / ${fmt(d.offeredPerSec, 0)}`,
        d.framesPerDelivery == null
          ? '–'
          : d.framesPerDelivery.toLocaleString('en-US', { maximumSignificantDigits: 2 }),
        fanOutText(c.phases.hold?.fanOut),
        fmt(p.serverCpuSeconds, 2),
        `${fmt(p.loadgenCpuSeconds, 1)} / ${fmt(p.loadgenLoopP99Ms, 0)}`,
        fmt(p.otherCpuSeconds, 1),
      ]);
    }
  }
  return table(
    [
      'Configuration',
      'Senders',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'undelivered',
      'delivered/s / offered',
      'frames per delivery',
      'most sockets one object writes to',
      'server CPU s (send + drain)',
      'load gen CPU s / loop p99 ms',
      'other processes CPU s',
    ],
    rows,
  );
}

function stormSection(scale) {
  const rows = [];
  for (const [name, c] of scaleConfigs(scale)) {
    for (const [k, label, holdKey] of [
      ['storm', 'global room', 'hold'],
      ['lobby', '/api/lobby/ws', 'lobbyHold'],
    ]) {
      const p = c.phases?.[k];
      if (!p?.connect) continue;
      const h = c.phases[holdKey];
      rows.push([
        CONFIG_LABEL(name, c) + (p.serverRestarted ? ' ⚠ restarted' : ''),
        label,
        `${fmt(p.connect.count, 0)} / ${fmt(p.connect.attempted, 0)}`,
        fmt(p.connect.p50, 0),
        fmt(p.connect.p99, 0),
        fmt(p.connect.max, 0),
        `${fmt(p.connect.totalMs / 1000, 1)}${p.settleSeconds != null ? ` (+${fmt(p.settleSeconds, 0)} s to idle)` : ''}`,
        fmt(p.serverCpuSeconds, 2),
        Object.entries(p.serverCpuByProcess ?? {})
          .filter(([, v]) => v >= 0.05)
          .map(([comm, v]) => `${comm} ${fmt(v, 1)}`)
          .join(', '),
        fmt(p.frames, 0),
        h ? `${fmt(h.rssBaselineMB, 0)} → ${fmt(h.rssHeldMB, 0)}` : '–',
        fmt(p.otherCpuSeconds, 1),
      ]);
    }
  }
  return table(
    [
      'Configuration',
      'To',
      'connected',
      'connect p50 ms',
      'p99 ms',
      'max ms',
      'all in s',
      'server CPU s (until idle)',
      'by process',
      'frames sent to clients meanwhile',
      'RSS MB before → held',
      'other processes CPU s',
    ],
    rows,
  );
}

function costsSection(scale) {
  const rows = scaleConfigs(scale).map(([name, c]) => {
    const x = scale.costs?.[name] ?? {};
    return [
      CONFIG_LABEL(name, c),
      fmt(x.cpuMsPerEventReceived, 3),
      `${fmt(x.cpuMsPerFrameSent_a, 4)} / ${fmt(x.cpuMsPerFrameSent_b, 4)}`,
      `${fmt(x.cpuMsPerDelivery_a, 4)} / ${fmt(x.cpuMsPerDelivery_b, 4)}`,
      `${fmt(x.cpuMsPerSocketAccepted_room, 2)} / ${fmt(x.cpuMsPerSocketAccepted_lobby, 2)}`,
      `${fmt(x.rssKBPerIdleSocket_room, 1)} / ${fmt(x.rssKBPerIdleSocket_lobby, 1)}`,
    ];
  });
  return [
    table(
      [
        'Configuration',
        'CPU ms per event received',
        'CPU ms per frame sent (a / b)',
        'CPU ms per delivery (a / b)',
        'CPU ms per socket accepted (room / lobby)',
        'RSS KB per idle socket (room / lobby)',
      ],
      rows,
    ),
    '',
    'Derived from the phases above, no extra runs; CPU is the whole `wrangler dev` tree ' +
      "(wrangler's Node, both workerd processes), sampled by the load generator at each phase's " +
      'start and end. Per event received = CPU while one client alone in the global room sent ' +
      'the solo messages ÷ messages (includes its ack and echo, and the D1 copy). Per frame sent ' +
      '= (CPU of send phase − messages × per event) ÷ frames the clients received; per delivery ' +
      'the same ÷ (message, receiver) pairs delivered (a frame may carry a batch). Per socket ' +
      "accepted = storm CPU ÷ sockets opened (the Worker, its D1 session read, the user's " +
      "socket lease, the object's accept and hello, and whatever the object sent the sockets " +
      'already open meanwhile). RSS per idle socket = (median RSS over the second half of the ' +
      'hold − RSS just before the storm) ÷ sockets held.',
  ].join('\n');
}

function searchSection(sr) {
  if (!sr) return null;
  if (sr.error) return `Search failed: ${sr.error}`;
  const row = (name, x, target) => [
    name,
    target,
    fmt(x.p50),
    fmt(x.p95),
    fmt(x.p99),
    fmt(x.max),
    fmt(x.count, 0),
    fmt(x.meanResults, 1),
  ];
  return [
    `Parlor only. \`GET /api/search\` over ${fmt(sr.messages, 0)} seeded messages in ${fmt(sr.rooms, 0)} rooms, pages of 20, one request at a time; the session check is in the same D1 batch (two round trips when a name is resolved). Target: p99 ≤ 50 ms for each query marked "yes".`,
    '',
    table(
      ['Query', 'target', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'requests', 'results (mean)'],
      [
        ...sr.queries.map((x) => row(x.kind, x, x.target ? 'yes' : 'info')),
        row('GET /api/me (session check alone: the local D1 floor)', sr.auth, '–'),
      ],
    ),
  ].join('\n');
}

function d1Section(results) {
  const parlor = results.servers.parlor;
  if (!parlor) return null;
  const rows = [1, 3].map((n) => {
    const sc = parlor.scenarios[n];
    if (!sc?.d1 || sc.d1.error)
      return [`scenario ${n}`, sc?.d1?.error ?? 'not run', '', '', '', ''];
    const { d1Statements, d1Batches, events } = sc.d1;
    return [
      `scenario ${n}`,
      fmt(events, 0),
      fmt(d1Statements, 0),
      fmt(d1Batches, 0),
      fmt((100 * d1Statements) / events, 1),
      fmt(d1Statements / events, 3),
    ];
  });
  return table(
    [
      'Under',
      'messages stored',
      'D1 statements',
      'D1 batches',
      'statements per 100 messages',
      'per message',
    ],
    rows,
  );
}

function budgetSection(b) {
  if (!b) return null;
  const kb = (x) => `${fmt(x / 1024, 1)} KB`;
  const lines = [];
  if (!b.build.ok)
    lines.push(
      `**Build failed**; sizes are of whatever dist/web held.\n\n\`\`\`\n${b.build.tail}\n\`\`\`\n`,
    );
  const rows = [
    ['App first screen', b.app],
    ['Widget page first screen', b.widgetPage],
    ['Widget loader (widget.js)', b.widgetLoader],
  ]
    .filter(([, x]) => x)
    .map(([name, x]) => [
      name,
      kb(x.jsGzipBytes),
      kb(x.cssGzipBytes),
      x.files.map((f) => f.file).join(', ') || '–',
    ]);
  lines.push(table(['Bundle', 'JS gzip', 'CSS gzip', 'files'], rows));
  return lines.join('\n');
}

function machineSection(r) {
  const m = r.machine;
  return [
    `- Date: ${m.date}; mode: ${r.mode}${r.only ? ` (only ${r.only})` : ''}; whole run ${fmt(r.durationSeconds, 0)} s`,
    `- Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.kernel}`,
    `- Node ${m.nodeWrangler} (wrangler), ${m.nodeLoadgen} (load generator, Node servers); wrangler ${m.wrangler}, workerd ${m.workerd}; socket.io ${m.socketIo}, ws ${m.ws}`,
    `- Parlor at ${m.gitCommit}${m.gitDirty ? ' with uncommitted changes' : ''}`,
    `- Pinning: ${r.settings.pinning}`,
    `- 1-minute load average ${m.loadAverage1mAtStart} at start, ${m.loadAverage1mAtEnd ?? '–'} at end` +
      (Math.max(m.loadAverage1mAtStart, m.loadAverage1mAtEnd ?? 0) > 0.7
        ? ' — **other processes shared the machine; treat absolute figures with care**'
        : ''),
    `- wrangler dev ran with \`X_LOCAL_OBSERVABILITY=false\` (the local trace collector off) and \`WRANGLER_SEND_METRICS=false\`, each server on its own \`--persist-to\` directory.`,
    `- Parlor's per-user rate limit was raised for the bench through configuration only: \`wrangler dev --var MESSAGE_BURST:${r.settings.parlorVars.MESSAGE_BURST} --var MESSAGE_RATE_PER_SECOND:${r.settings.parlorVars.MESSAGE_RATE_PER_SECOND}\` (production: 10 and 2/s from wrangler.toml), and \`--var BENCH:1\` to expose the D1 counters.`,
  ].join('\n');
}

export function renderMarkdown(results) {
  const out = ['# Parlor benchmark results', '', machineSection(results), ''];
  const targets = targetRows(results);
  if (targets.length)
    out.push(
      '## Targets',
      '',
      table(['Target', 'Measured', 'Result', 'Profile of a miss'], targets),
      '',
    );
  for (const n of [1, 2, 3, 4]) {
    if (!Object.values(results.servers).some((s) => s.scenarios[n])) continue;
    out.push(`## Scenario ${n}: ${LOAD_SCENARIOS[n].title}`, '');
    if (results.mode === 'quick')
      out.push(`Quick mode: ${paramsText(LOAD_SCENARIOS[n].quick)}.`, '');
    out.push(LOAD_SCENARIOS[n].idle ? idleTable(results, n) : loadTable(results, n), '');
    const repeated = repeatsText(results, n);
    if (repeated) out.push(repeated, '');
  }
  const sections = [
    ['Scenario 5: history at 1M messages', historySection(results.history)],
    ['Scenario 10: search at 1M messages', searchSection(results.search)],
    ['Scenario 6: D1 statements per message', d1Section(results)],
    ['Scenario 7: client budgets (gzip, level 6)', budgetSection(results.budgets)],
  ];
  const scale = results.scale;
  if (scale) {
    const p = scale.params;
    sections.push(
      [
        `Scenario 8: the global room, ${fmt(p.clients, 0)} clients, unsharded vs sharded`,
        [
          `Each configuration is its own \`wrangler dev\` (same bundle, same state directory, same guests). ` +
            `Client 0 first sends ${p.solo.messages} messages alone (${p.solo.rate}/s; the per-event cost below), ` +
            `then the other ${fmt(p.clients - 1, 0)} connect within ${fmt(p.stormMs / 1000, 0)} s (scenario 9's table), ` +
            `are held idle ${fmt(p.holdMs / 1000, 0)} s, then (a) and (b) run one after the other; drain up to ${fmt(p.drainMs / 1000, 0)} s. ` +
            '"Most sockets one object writes to" is from `GET /api/_bench/rooms/global/stats` after the hold.',
          '',
          globalRoomSection(scale),
        ].join('\n'),
      ],
      [
        `Scenario 9: connect storm, ${fmt(p.clients, 0)} clients within ${fmt(p.stormMs / 1000, 0)} s`,
        [
          'Open loop: one upgrade every stormMs/clients, not waiting for earlier ones; connect = upgrade request → first frame (hello). ' +
            'The room storm opens the sockets that (a) and (b) then use; the lobby storm runs after those are closed. ' +
            '"Frames sent meanwhile" counts every frame the clients received during the storm (presence included).' +
            (scale.hubShardsInBundle === false
              ? ' **The Parlor that ran has no hub shards yet (HUB_SHARDS is unknown to it): both configurations ran the one lobby, so the lobby rows compare the same code twice.**'
              : ''),
          '',
          stormSection(scale),
        ].join('\n'),
      ],
      ["Per-object costs (for docs/scaling.md's capacity model)", costsSection(scale)],
    );
  }
  for (const [title, body] of sections) if (body) out.push(`## ${title}`, '', body, '');
  const failed = Object.entries(results.servers).filter(([, s]) => s.error);
  for (const [k, s] of failed) out.push(`**${k} failed to run:**`, '', '```', s.error, '```', '');
  out.push(
    'Latency is send → receipt at every other client in the room, measured in the load generator ' +
      '(one process, one clock). Delivered/s counts deliveries over the span from the first send ' +
      'to the last receipt. "Frames per delivery" below 1 means several messages shared a frame. ' +
      '"Other processes CPU s" is machine-wide process CPU time (interrupts excluded) during the ' +
      "scenario minus the server's and the load generator's: well above zero means something else " +
      'competed for the 2 cores.',
    '',
  );
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? new URL('./results/latest.json', import.meta.url).pathname;
  process.stdout.write(renderMarkdown(JSON.parse(readFileSync(file, 'utf8'))));
}
