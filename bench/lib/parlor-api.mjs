/**
 * The few Parlor REST calls the bench makes: guest sign-up, room create/join, history,
 * and the bench-only write-path counters (`BENCH=1`). Requests name the server's own Origin,
 * as a browser on the app would.
 */
import { randomBytes } from 'node:crypto';

export async function api(base, path, { token, body, method = body ? 'POST' : 'GET' } = {}) {
  const headers = { origin: base };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body: body && JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** A short random tag, safe in usernames, room names and clientIds. */
export const runTag = () => randomBytes(4).toString('hex');

/** A new guest: `{ id, token }`. Names are 2–32 of letters, digits, `_-.`. */
export async function signUpGuest(base, name) {
  const { user } = await api(base, '/api/auth/guest?token=1', { body: { name } });
  if (!user?.token) throw new Error('guest sign-up returned no token (is ?token=1 supported?)');
  return { id: user.id, token: user.token };
}

export async function createRoom(base, token, name) {
  const { room } = await api(base, '/api/rooms', { token, body: { name } });
  return room.id;
}

export const joinRoom = (base, token, roomId) =>
  api(base, `/api/rooms/${encodeURIComponent(roomId)}/join`, { token, body: {} });

/** `{ d1Statements, d1Batches, events }` counted inside the room object. */
export const roomStats = (base, token, roomId) =>
  api(base, `/api/_bench/rooms/${encodeURIComponent(roomId)}/stats`, { token });
