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

/** Scenario 8: search over the same seeded history. */
export const SEARCH = {
  full: { rooms: 1000, requests: 200 },
  quick: { rooms: 100, requests: 50 },
};

/** The order servers run in; the floor first, as every ratio is against it. */
export const SERVER_ORDER = ['floor', 'parlor', 'socketio', 'ws'];

/** `--only=floor,parlor,3,5` → which servers and scenarios; an empty half means all. */
export function parseOnly(only) {
  const items = (only ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const servers = items.filter((s) => SERVER_ORDER.includes(s));
  const scenarios = items.filter((s) => /^[1-8]$/.test(s)).map(Number);
  const unknown = items.filter((s) => !SERVER_ORDER.includes(s) && !/^[1-8]$/.test(s));
  if (unknown.length) throw new Error(`--only: unknown ${unknown.join(', ')}`);
  return {
    servers: servers.length ? SERVER_ORDER.filter((s) => servers.includes(s)) : SERVER_ORDER,
    scenarios: new Set(scenarios.length ? scenarios : [1, 2, 3, 4, 5, 6, 7, 8]),
  };
}
