/**
 * Scenario 10: full-text search over the seeded D1 (see seed.mjs), through wrangler's port like
 * any client, one request at a time. Each query kind is asked `requests` times with a random
 * room or author where it names one. The target (issue 11) is p99 ≤ 50 ms for the
 * representative kinds; a quoted phrase and a date filter are measured too, for information.
 * `GET /api/me` (the session check alone, one D1 query) is the local floor beside them.
 */
import { api, runTag, signUpGuest } from './lib/parlor-api.mjs';
import { now, summarize } from './lib/stats.mjs';
import { SEED, seededRoomId } from './seed.mjs';

const pick = (n) => Math.floor(Math.random() * n);
const author = () => `seed_${String(pick(SEED.authors)).padStart(3, '0')}`;

/** Query kinds: `q` for request i, and whether the kind counts toward the target. */
export const SEARCH_QUERIES = [
  { kind: 'common word (every message)', target: true, q: () => 'ordinary' },
  { kind: 'rare word (1 in 9,973)', target: true, q: () => SEED.rareWord.toLowerCase() },
  {
    kind: 'common word, in:room by name',
    target: true,
    q: (rooms) => `ordinary in:"History ${String(pick(rooms)).padStart(4, '0')}"`,
  },
  {
    kind: 'common word, in:room by id',
    target: true,
    q: (rooms) => `chat in:${seededRoomId(pick(rooms))}`,
  },
  { kind: 'common word, from:person', target: true, q: () => `ordinary from:${author()}` },
  { kind: 'rare word, from:person', target: true, q: () => `zephyr from:${author()}` },
  {
    kind: 'quoted phrase of common words',
    target: false,
    q: (rooms) => `"message ${1 + pick(1000)} of room ${pick(rooms)}"`,
  },
  // The seed's messages are all from one month (November 2023): the index's month tokens
  // cannot narrow this one, which the statement's created_at check does row by row.
  {
    kind: 'common word, before: a day in its month',
    target: false,
    q: () => 'ordinary before:2023-11-15',
  },
  {
    kind: 'common word, before: every message',
    target: false,
    q: () => 'ordinary before:2023-06-01',
  },
];

async function timed(base, token, count, pathFor) {
  const times = [];
  let results = 0;
  for (let i = 0; i < count; i++) {
    const path = pathFor(i);
    const t0 = now();
    const page = await api(base, path, { token });
    times.push(now() - t0);
    results += page.results?.length ?? (page.user ? 1 : 0);
  }
  return { ...summarize(times), meanResults: Math.round((10 * results) / count) / 10 };
}

export async function runSearch(base, { rooms, requests }) {
  const { token } = await signUpGuest(base, `searcher_${runTag()}`);
  const path = (q) => `/api/search?${new URLSearchParams({ q, limit: '20' })}`;
  // Warm-up: compiling the Worker, opening the database, first reads of the index pages.
  for (const { q } of SEARCH_QUERIES)
    for (let i = 0; i < 5; i++) await api(base, path(q(rooms)), { token });

  const auth = await timed(base, token, requests, () => '/api/me');
  const queries = [];
  for (const { kind, target, q } of SEARCH_QUERIES) {
    queries.push({ kind, target, ...(await timed(base, token, requests, () => path(q(rooms)))) });
  }
  const worst = Math.max(...queries.filter((x) => x.target).map((x) => x.p99));
  return { messages: rooms * 1000, rooms, requests, auth, queries, targetP99: worst };
}
