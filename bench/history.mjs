/**
 * Scenario 5: history latency over the seeded D1 (see seed.mjs). One signed-in reader asks,
 * one request at a time, for the latest page of a random seeded room, then for a deep page
 * (`before` near the start of the room), through wrangler's port like any client.
 */
import { api, runTag, signUpGuest } from './lib/parlor-api.mjs';
import { now, summarize } from './lib/stats.mjs';
import { seededRoomId } from './seed.mjs';

const PAGE = 20;

async function timedPages(base, token, count, pathFor, check) {
  const times = [];
  let wrong = 0;
  for (let i = 0; i < count; i++) {
    const t0 = now();
    const page = await api(base, pathFor(i), { token });
    times.push(now() - t0);
    if (!check(page)) wrong++;
  }
  return { ...summarize(times), wrongPages: wrong };
}

export async function runHistory(base, { rooms, perRoom, requests }) {
  const { token } = await signUpGuest(base, `reader_${runTag()}`);
  const room = () => seededRoomId(Math.floor(Math.random() * rooms));
  const path = (id, before) =>
    `/api/rooms/${id}/messages?limit=${PAGE}${before ? `&before=${before}` : ''}`;
  const isPage = (last) => (p) => p.messages?.length === PAGE && p.messages[PAGE - 1].seq === last;

  // Warm-up: the first requests pay for compiling the Worker and opening the database.
  for (let i = 0; i < 20; i++) await api(base, path(room()), { token });

  // The same path without the page query: what authentication alone costs (one D1 query).
  const auth = await timedPages(
    base,
    token,
    requests,
    () => '/api/me',
    (p) => Boolean(p.user),
  );
  const latest = await timedPages(base, token, requests, () => path(room()), isPage(perRoom));
  // Deep: a page within the oldest tenth of the room, far from the index's hot end.
  const deepBefore = () => 21 + Math.floor(Math.random() * Math.max(1, perRoom / 10));
  let before = 0;
  const deep = await timedPages(
    base,
    token,
    requests,
    () => path(room(), (before = deepBefore())),
    (p) => isPage(before - 1)(p),
  );
  // The floors, in the same run on the same database: the Worker answering without D1, and
  // one one-row query by primary key (no session, no Durable Object) — what any page costs.
  const ping = await timedPages(
    base,
    null,
    requests,
    () => '/api/_bench/ping',
    (p) => p.ok === true,
  );
  const d1Row = await timedPages(
    base,
    null,
    requests,
    () => '/api/_bench/d1',
    (p) => p?.id === 'global',
  );
  return {
    rooms,
    perRoom,
    messages: rooms * perRoom,
    pageSize: PAGE,
    auth,
    latest,
    deep,
    ping,
    d1Row,
  };
}
