/**
 * Scenarios 1–4 as load-generator arguments (issue 5), and the smaller `--quick` variants
 * for development. Drain is the most the generator waits after the last send; it stops as
 * soon as everything has arrived.
 */
export const LOAD_SCENARIOS = {
  1: {
    title: 'One room, 50 clients, 5 senders × 200 messages at 20 msg/s each',
    full: { clients: 50, rooms: 1, senders: 5, messages: 200, rate: 20, drain: 10_000 },
    quick: { clients: 50, rooms: 1, senders: 5, messages: 60, rate: 20, drain: 5_000 },
  },
  2: {
    title: 'One room, 500 clients, 1 sender × 200 messages at 10 msg/s',
    full: { clients: 500, rooms: 1, senders: 1, messages: 200, rate: 10, drain: 10_000 },
    quick: { clients: 200, rooms: 1, senders: 1, messages: 30, rate: 10, drain: 5_000 },
  },
  3: {
    title: 'One room, 50 clients, 5 senders × 1,000 messages at 200 msg/s each, 20 s drain',
    full: { clients: 50, rooms: 1, senders: 5, messages: 1000, rate: 200, drain: 20_000 },
    quick: { clients: 50, rooms: 1, senders: 5, messages: 300, rate: 200, drain: 10_000 },
  },
  4: {
    title: '2,000 idle connections across 20 rooms, held 30 s, then one message per room',
    // One sender per room sends a single message after the hold: the first after hibernation.
    full: {
      clients: 2000,
      rooms: 20,
      senders: 20,
      messages: 1,
      rate: 1,
      hold: 30_000,
      drain: 10_000,
    },
    quick: {
      clients: 400,
      rooms: 20,
      senders: 20,
      messages: 1,
      rate: 1,
      hold: 12_000,
      drain: 5_000,
    },
    idle: true,
  },
};

/** Scenario 5: the seeded history (issue: 1,000,000 messages across 1,000 rooms). */
export const HISTORY = {
  full: { rooms: 1000, perRoom: 1000, requests: 200 },
  quick: { rooms: 100, perRoom: 1000, requests: 50 },
};

/** Scenario 10: search over the same seeded history. */
export const SEARCH = {
  full: { rooms: 1000, requests: 200 },
  quick: { rooms: 100, requests: 50 },
};

/**
 * Scenarios 8 and 9 (issue 9), run on two Parlor configurations in the same bench, each with
 * its own `wrangler dev` on one shared state directory (so the guests are signed up once):
 *   8 — the global room ("global", where every user is a member): one sender alone (the cost
 *       of an event), 2,000 clients connecting within 10 s (the connect storm), held idle, then
 *       (a) one sender at 10 msg/s and (b) 5 senders at 200 msg/s together;
 *   9 — the same clients connecting within 10 s to /api/lobby/ws (the lobby, or hub shards).
 * Phases run one after another in one load-generator process (`scale.mjs`).
 */
export const SCALE = {
  title: 'The global room and the lobby at 2,000 clients, unsharded vs sharded',
  full: {
    clients: 2000,
    stormMs: 10_000,
    holdMs: 20_000,
    solo: { messages: 300, rate: 50 },
    a: { senders: 1, messages: 100, rate: 10 },
    b: { senders: 5, messages: 200, rate: 40 },
    drainMs: 20_000,
  },
  quick: {
    clients: 300,
    stormMs: 3_000,
    holdMs: 5_000,
    solo: { messages: 100, rate: 50 },
    a: { senders: 1, messages: 20, rate: 10 },
    b: { senders: 5, messages: 40, rate: 40 },
    drainMs: 10_000,
  },
};

/**
 * The two configurations, as `wrangler dev --var`s. Unsharded is today's single-object
 * design: one room object writes to every socket, one lobby holds every tab. Sharded: the
 * room holds `bound` sockets itself and relays hold as many each; hub shards by user id.
 * Quick mode lowers the bound so its 300 clients still reach relays.
 */
export function scaleConfigs(mode, bounds) {
  const unsharded = { ROOM_DIRECT_SOCKETS: '1000000', HUB_SHARDS: '1' };
  const sharded = (b) => ({ ROOM_DIRECT_SOCKETS: String(b), HUB_SHARDS: '16' });
  // `--bounds=100,250,500`: one sharded configuration per bound, to choose the default from.
  if (bounds?.length) {
    return { unsharded, ...Object.fromEntries(bounds.map((b) => [`sharded-${b}`, sharded(b)])) };
  }
  return { unsharded, sharded: sharded(mode === 'quick' ? 100 : 250) };
}

/**
 * The order servers run in; the floor first, as every ratio is against it. `durable` is the
 * floor writing each frame to SQLite before relaying it (scenarios 1–3 only): what any chat that
 * stores before it acknowledges pays on this machine's disk; `d1floor` adds a D1 copy of
 * what it stored every 100 ms, as Parlor's history needs (D1 shares the server's core here).
 */
export const SERVER_ORDER = [
  'floor',
  'heavyfloor',
  'objfloor',
  'durable',
  'd1floor',
  'parlor',
  'socketio',
  'ws',
];

/**
 * Run only when `--only` names them. `heavyfloor` is the floor with Parlor's Worker bundle
 * evaluated in its isolate and never called: the floor's work with Parlor's heap, which
 * tells how much of Parlor's tail is the garbage collector's pauses over that heap
 * (results/2026-12-08-s1-tail.md). `objfloor` loads only the Durable Objects' modules.
 */
const OPT_IN = ['heavyfloor', 'objfloor'];

/** `--only=floor,parlor,3,5` → which servers and scenarios; an empty half means all. */
export function parseOnly(only) {
  const items = (only ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const servers = items.filter((s) => SERVER_ORDER.includes(s));
  const scenarios = items.filter((s) => /^(10|[1-9])$/.test(s)).map(Number);
  const unknown = items.filter((s) => !SERVER_ORDER.includes(s) && !/^(10|[1-9])$/.test(s));
  if (unknown.length) throw new Error(`--only: unknown ${unknown.join(', ')}`);
  return {
    servers: servers.length
      ? SERVER_ORDER.filter((s) => servers.includes(s))
      : SERVER_ORDER.filter((s) => !OPT_IN.includes(s)),
    scenarios: new Set(scenarios.length ? scenarios : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  };
}
