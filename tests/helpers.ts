/** Helpers for integration tests that drive the real Worker in workerd. */
import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';

export const ORIGIN = 'https://parlor.test';

export function api(path: string, init: RequestInit & { json?: unknown; token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    headers.set('origin', ORIGIN);
  }
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  return exports.default.fetch(`${ORIGIN}/api${path}`, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
}

/** Asserts the one error shape and returns it. */
export async function expectError(res: Response, status: number, code: string) {
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

let counter = 0;
/** A fresh username for each call, so tests never share users. */
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${counter}_${crypto.randomUUID().slice(0, 6)}`;
}

export const GOOD_PASSWORD = 'correct-Horse-battery-9';

export async function register(username = uniqueName(), password = GOOD_PASSWORD) {
  const res = await api('/auth/register?token=1', { method: 'POST', json: { username, password } });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { user: { id: string; token: string; username: string } };
  return { ...body.user, password, cookie: res.headers.get('set-cookie')! };
}

/** A client address no other call has used: per-client limits (guest creation, sign-in
 * budgets) then count each test's own requests only. */
export function testClientIp(): string {
  counter += 1;
  return `10.${(counter >> 16) & 255}.${(counter >> 8) & 255}.${counter & 255}`;
}

export async function guest(name = uniqueName('guest')) {
  const res = await api('/auth/guest?token=1', {
    method: 'POST',
    json: { name },
    headers: { 'cf-connecting-ip': testClientIp() },
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { user: { id: string; token: string } };
  return { ...body.user, name, cookies: res.headers.getSetCookie() };
}

import { hubShardOf } from '../src/durable/hub-shards';
import { byType, eventually, FrameQueue, type Frame } from './socket-client';

export interface TestSocket {
  ws: WebSocket;
  q: FrameQueue;
  send(frame: object | string): void;
  close(): void;
}

/** Asks the Worker for a WebSocket at `/api${path}`, as a signed-in user; accepts nothing. */
export function upgrade(path: string, token: string, headers: Record<string, string> = {}) {
  return exports.default.fetch(`${ORIGIN}/api${path}`, {
    headers: { upgrade: 'websocket', authorization: `Bearer ${token}`, origin: ORIGIN, ...headers },
  });
}

/** Opens a room (or lobby) WebSocket through the Worker, as a signed-in user. */
export async function connect(path: string, token: string, headers: Record<string, string> = {}) {
  const res = await upgrade(path, token, headers);
  if (!res.webSocket) return { res, socket: null };
  const ws = res.webSocket;
  const q = new FrameQueue();
  ws.addEventListener('message', (e) => q.push(e.data as string));
  ws.addEventListener('close', (e) => q.close(e.code, e.reason));
  ws.accept();
  const socket: TestSocket = {
    ws,
    q,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    close: () => ws.close(1000, 'bye'),
  };
  return { res, socket };
}

/**
 * A room socket refused for a reason retrying cannot change (banned, not a member, no such
 * room) opens only to say so: one error frame, then close 1000 with its message, and nothing
 * else. Returns the error frame's code.
 */
export async function refusedSocket(res: Response, what = ''): Promise<string> {
  expect(res.status, what).toBe(101);
  const ws = res.webSocket!;
  const q = new FrameQueue();
  ws.addEventListener('message', (e) => q.push(e.data as string));
  ws.addEventListener('close', (e) => q.close(e.code, e.reason));
  ws.accept();
  const closed = await q.closedWith();
  expect(q.frames, what).toMatchObject([{ type: 'error' }]);
  const error = q.frames[0]!;
  expect(closed, what).toEqual({ code: 1000, reason: error.message });
  return String(error.code);
}

export async function expectRefusedSocket(path: string, token: string, code: string) {
  expect(await refusedSocket(await upgrade(path, token), path)).toBe(code);
}

export async function openRoom(roomId: string, token: string, after?: number) {
  const query = after === undefined ? '' : `?after=${after}`;
  const { res, socket } = await connect(`/rooms/${encodeURIComponent(roomId)}/ws${query}`, token);
  if (!socket) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  await socket.q.take((f) => f.type === 'hello');
  return socket;
}

export async function createRoom(token: string, name = uniqueName('room')) {
  const res = await api('/rooms', { method: 'POST', json: { name }, token });
  expect(res.status).toBe(201);
  return ((await res.json()) as { room: { id: string; name: string } }).room;
}

export function clientId(): string {
  return crypto.randomUUID();
}

/**
 * Ends the holds on names `userId` gave up (a rename holds the old name for days:
 * src/worker/account/name-hold.ts), as if the delay had passed.
 */
export async function releaseHeldNames(userId: string): Promise<void> {
  const { env } = await import('cloudflare:test');
  await env.DB.prepare('UPDATE name_holds SET release_at = ? WHERE user_id = ?')
    .bind(Date.now() - 1, userId)
    .run();
}

/** Waits until the room has copied every event to D1. */
export async function drain(roomId: string): Promise<number> {
  const { env } = await import('cloudflare:test');
  return env.ROOM.get(env.ROOM.idFromName(roomId)).drain();
}

export async function join(roomId: string, token: string) {
  const res = await api(`/rooms/${encodeURIComponent(roomId)}/join`, {
    method: 'POST',
    json: {},
    token,
  });
  expect(res.status).toBe(200);
}

/** Sends a message and waits for its acknowledgement. */
export async function say(socket: TestSocket, text: string, id = clientId()) {
  socket.send({ type: 'send', clientId: id, text });
  return socket.q.take((f) => f.type === 'ack' && f.clientId === id, 5000, `ack ${id}`);
}

export async function history(roomId: string, token: string, query = '') {
  const res = await api(`/rooms/${encodeURIComponent(roomId)}/messages${query}`, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    messages: {
      seq: number;
      id: string;
      text: string;
      author: { id: string; name: string; displayName?: string };
      editedAt: number | null;
      deleted: boolean;
      replyTo: number | null;
      reactions: { emoji: string; count: number; users: string[]; me: boolean }[];
    }[];
    nextBefore: number | null;
    nextAfter?: number | null;
    roomSeq: number;
  };
}

/** Opens the lobby socket (chat-list activity) of `user` and waits for its hello. */
export async function openLobby(user: { token: string }): Promise<TestSocket> {
  const { res, socket } = await connect('/lobby/ws', user.token);
  if (!socket) throw new Error(`lobby refused: ${res.status}`);
  await socket.q.take(byType('hello'));
  return socket;
}

/** A new guest whose tabs land on hub shard `shard` (guests are made until one does). */
export async function guestOn(shard: number): Promise<Awaited<ReturnType<typeof guest>>> {
  const { env } = await import('cloudflare:test');
  for (;;) {
    const g = await guest();
    if (hubShardOf(g.id, Number(env.HUB_SHARDS)) === shard) return g;
  }
}

/** A lobby `activity` frame about `roomId`. */
export const activityIn = (roomId: string) => (f: Frame) =>
  f.type === 'activity' && f.roomId === roomId;

/** Waits until the room sends its activity notices to the hub shard of each of `users`. */
export async function subscribed(roomId: string, users: { id: string }[]): Promise<void> {
  const { env } = await import('cloudflare:test');
  const shards = users.map((u) => hubShardOf(u.id, Number(env.HUB_SHARDS)));
  const room = env.ROOM.get(env.ROOM.idFromName(roomId));
  await eventually(async () => {
    const { hubShards } = await room.getStats();
    return shards.every((s) => hubShards.includes(s)) ? true : undefined;
  });
}

/** Sites the widget tests embed rooms on (`https://` origins, as a room's list requires). */
export const SITE = 'https://shop.example';
export const OTHER_SITE = 'https://blog.example';
export const STRANGER = 'https://stranger.example';

/** A room made by a new account, embeddable on `origins`. */
export async function embeddedRoom(origins: string[] = [SITE, OTHER_SITE]) {
  const owner = await register();
  const room = await createRoom(owner.token);
  const res = await api(`/rooms/${room.id}/embed-origins`, {
    method: 'PUT',
    json: { origins },
    token: owner.token,
  });
  expect(res.status).toBe(200);
  return { owner, room };
}

export type Guest = Awaited<ReturnType<typeof guest>>;

/** An API call as `token`'s user: a body (JSON) on every method but GET. */
export const call = (method: string, path: string, token: string, json: unknown = {}) =>
  api(path, { method, token, ...(method === 'GET' ? {} : { json }) });

/** A room `notice` frame of this kind. */
export const noticeOf = (kind: string) => (f: Frame) =>
  f.type === 'notice' && (f.notice as { kind: string }).kind === kind;

/** A request as a browser on `origin` sends it (the widget's frame), with a bearer token. */
export function from(origin: string, path: string, token: string, init: RequestInit = {}) {
  return exports.default.fetch(`${ORIGIN}/api${path}`, {
    ...init,
    headers: { origin, authorization: `Bearer ${token}`, ...(init.headers as object) },
  });
}

/** Asks for a widget visitor (a name alone), from a client address of its own. */
export function newVisitor(body: { room: string; origin: string; name: string }) {
  return api('/visitors', {
    method: 'POST',
    json: body,
    headers: { 'cf-connecting-ip': testClientIp() },
  });
}

/** A new widget visitor of `roomId`, made on `origin`. */
export async function visitorOf(roomId: string, origin = SITE, name = uniqueName('visitor')) {
  const res = await newVisitor({ room: roomId, origin, name });
  expect(res.status).toBe(201);
  const { user } = (await res.json()) as {
    user: { id: string; name: string; guest: boolean; kind?: string; site?: string; token: string };
  };
  return user;
}

/** Owner `a` with moderator `m` and member `b` of a new room, each with a socket open. */
export async function moderatedRoom() {
  const [a, m, b] = [await guest(), await guest(), await guest()];
  const room = await createRoom(a.token);
  await join(room.id, m.token);
  await join(room.id, b.token);
  expect((await call('PUT', `/rooms/${room.id}/moderators/${m.id}`, a.token)).status).toBe(200);
  const [sa, sm, sb] = [
    await openRoom(room.id, a.token),
    await openRoom(room.id, m.token),
    await openRoom(room.id, b.token),
  ];
  return { a, m, b, room, sa, sm, sb };
}
