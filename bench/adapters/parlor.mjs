/**
 * Adapter for Parlor: guests signed up over REST (cached in the state directory so later
 * scenarios reuse them), one new room per bench room (every client joins its room), then one
 * authenticated WebSocket per client. Server frames may come wrapped in `batch` frames; only
 * `message` events count as deliveries.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { mapLimit } from '../lib/pool.mjs';
import { createRoom, joinRoom, roomStats, runTag, signUpGuest } from '../lib/parlor-api.mjs';

// Sign-ups and joins are D1 writes through wrangler's proxy; a few at a time is fastest.
const SETUP_CONCURRENCY = 8;

/** Signs up (or reuses from `stateDir`) `count` guests; see `guests`. */
export const signUpGuests = (base, count, stateDir, log, key) =>
  guests(base, count, stateDir, log, key);

/**
 * `key` names the database the guests live in: the server's URL, or (when several servers
 * are started in turn on one state directory and one session secret) a name they share.
 */
async function guests(base, count, stateDir, log, key = base) {
  const file = stateDir && join(stateDir, 'guests.json');
  const cache = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  const list = cache?.base === key ? cache.guests : [];
  if (list.length < count) {
    const tag = runTag();
    const t0 = Date.now();
    const fresh = await mapLimit(count - list.length, SETUP_CONCURRENCY, (i) =>
      signUpGuest(base, `b${tag}_${list.length + i}`),
    );
    list.push(...fresh);
    log(`signed up ${fresh.length} guests in ${Date.now() - t0} ms`);
    if (file) {
      mkdirSync(stateDir, { recursive: true });
      writeFileSync(file, JSON.stringify({ base: key, guests: list }));
    }
  }
  return list.slice(0, count);
}

export async function prepare({ base, clients, rooms, tag, stateDir, log }) {
  const users = await guests(base, clients, stateDir, log);
  const t0 = Date.now();
  // Client r creates room r (and so is its member); every other client i joins room i % R.
  const roomIds = await mapLimit(rooms, SETUP_CONCURRENCY, (r) =>
    createRoom(base, users[r].token, `${tag}-r${r}`),
  );
  await mapLimit(clients - rooms, SETUP_CONCURRENCY, (k) => {
    const i = k + rooms;
    return joinRoom(base, users[i].token, roomIds[i % rooms]);
  });
  log(`created ${rooms} rooms, joined ${clients - rooms} clients in ${Date.now() - t0} ms`);
  return { base, users, roomIds, tag: runTag() };
}

/**
 * The global room (id "global", from the first migration): every user is a member from
 * sign-up, so there is nothing to create or join.
 */
export async function prepareGlobal({ base, clients, stateDir, serverId, log }) {
  const users = await guests(base, clients, stateDir, log, serverId);
  return { base, users, roomIds: ['global'], tag: runTag() };
}

/**
 * One lobby socket (`/api/lobby/ws`: the lobby, or the user's hub shard). Resolves on the
 * first frame (the hello) with `{ close, firstFrame }`; every frame counts in `counters`.
 */
export function connectLobby(ctx, index, counters, timeoutMs = 120_000) {
  const url = `${ctx.base.replace(/^http/, 'ws')}/api/lobby/ws`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      headers: { authorization: `Bearer ${ctx.users[index].token}`, origin: ctx.base },
    });
    let unreported = 0;
    let first = true;
    ws.on('message', (data) => {
      counters.frames++;
      const text = data.toString();
      counters.chars = (counters.chars ?? 0) + text.length;
      unreported += text.length;
      if (unreported >= 64 * 1024) {
        ws.send(JSON.stringify({ type: 'received', chars: unreported }));
        unreported = 0;
      }
      if (first) {
        first = false;
        clearTimeout(timer);
        const type = /^\{"type":"([a-z_]+)"/.exec(text)?.[1] ?? 'other';
        resolve({ close: () => ws.terminate(), firstFrame: type });
      }
    });
    ws.on('close', (code) => {
      counters.closed++;
      clearTimeout(timer);
      reject(new Error(`closed ${code} before hello`)); // no effect once resolved
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    const timer = setTimeout(() => {
      reject(new Error(`no hello in ${timeoutMs / 1000} s`));
      ws.terminate();
    }, timeoutMs);
  });
}

/**
 * Resolves on the room's `hello`, when the socket is ready to receive. Rejects if the socket
 * closes first, or (with `timeoutMs`) if no hello came in time — and then closes it, so a
 * socket the bench gave up on does not stay open on the server.
 */
export function connect(ctx, { index, room, timeoutMs }, onText, counters) {
  const url = `${ctx.base.replace(/^http/, 'ws')}/api/rooms/${ctx.roomIds[room]}/ws`;
  let sent = 0;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      headers: { authorization: `Bearer ${ctx.users[index].token}`, origin: ctx.base },
    });
    const conn = {
      send: (text) =>
        ws.send(JSON.stringify({ type: 'send', clientId: `c${ctx.tag}_${index}_${sent++}`, text })),
      close: () => ws.terminate(),
    };
    const handle = (frame) => {
      if (frame.type === 'message') onText(frame.message.text, frame.message.createdAt);
      else if (frame.type === 'ack') counters.acks++;
      else if (frame.type === 'hello') {
        clearTimeout(timer);
        resolve(conn);
      } else if (frame.type === 'error')
        counters.errors[frame.code] = (counters.errors[frame.code] ?? 0) + 1;
    };
    let unreported = 0;
    ws.on('message', (data) => {
      counters.frames++;
      const text = data.toString();
      // Receipts, as the web client sends them: without them the room drops a socket that
      // has been sent LIMITS.unsentChars (4 Mi characters) unacknowledged.
      unreported += text.length;
      if (unreported >= 64 * 1024) {
        ws.send(JSON.stringify({ type: 'received', chars: unreported }));
        unreported = 0;
      }
      const frame = JSON.parse(text);
      if (frame.type === 'batch') frame.frames.forEach(handle);
      else handle(frame);
    });
    ws.on('close', (code) => {
      counters.closed++;
      clearTimeout(timer);
      reject(new Error(`closed ${code} before hello`)); // no effect once resolved
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    const timer =
      timeoutMs &&
      setTimeout(() => {
        reject(new Error(`no hello in ${timeoutMs / 1000} s`));
        ws.terminate();
      }, timeoutMs);
  });
}

/** The room objects' D1 counters; the bench takes the difference across the send phase. */
export async function serverStats(ctx) {
  const token = ctx.users[0].token;
  const rooms = await Promise.all(ctx.roomIds.map((id) => roomStats(ctx.base, token, id)));
  const sum = (k) => rooms.reduce((a, r) => a + (r[k] ?? 0), 0);
  return {
    d1Statements: sum('d1Statements'),
    d1Batches: sum('d1Batches'),
    events: sum('events'),
    // The rooms' sends of queued frames, and those that waited for the frame budget.
    outboxFlushes: sum('outboxFlushes'),
    outboxHeld: sum('outboxHeld'),
  };
}
