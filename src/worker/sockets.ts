/**
 * WebSocket upgrades: authenticated (cookie, Bearer or subprotocol token), Origin-checked,
 * membership-checked, then handed to the room's or the lobby's Durable Object.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ROOM_INFO_HEADER, SESSION_HEADER, USER_HEADER } from '../durable/room-info';
import { toUserRef } from './accounts';
import {
  assertDmMember,
  lobbyStub,
  roomAccessStatement,
  roomStub,
  toRoomAccess,
  type RoomAccessRow,
} from './access';
import type { AppEnv } from './context';
import { ApiError } from './errors';
import { originAllowed, readWithSession } from './middleware';

/**
 * Runs before the session check: a browser always sends Origin on a WebSocket, so a foreign
 * one is cross-site hijacking; clients without an Origin (scripts) are not browsers.
 */
export const upgradeGuard = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(426, 'bad_request', 'This endpoint expects a WebSocket upgrade');
  }
  const origin = c.req.header('origin');
  if (origin && !originAllowed(origin, c.env)) {
    throw new ApiError(403, 'origin_not_allowed', `WebSockets from ${origin} are not allowed`);
  }
  await next();
});

function forward(c: Context<AppEnv>, extra: Record<string, string>): Request {
  const headers = new Headers(c.req.raw.headers);
  headers.set(USER_HEADER, JSON.stringify(toUserRef(c.var.user)));
  headers.set(SESSION_HEADER, c.var.sessionId);
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return new Request(c.req.url, { headers });
}

/** After `requireClaims`: the session and the room access are read in one D1 batch. */
export async function roomSocket(c: Context<AppEnv>): Promise<Response> {
  const roomId = c.req.param('id')!;
  const [row] = await readWithSession<RoomAccessRow>(
    c,
    roomAccessStatement(c.env.DB, roomId, c.var.claims.userId),
  );
  assertDmMember(roomId, c.var.user.id);
  const { info, member } = toRoomAccess(row, roomId);
  if (!member) throw new ApiError(403, 'not_a_member', 'Join the room first');
  return roomStub(c.env, info.id).fetch(forward(c, { [ROOM_INFO_HEADER]: JSON.stringify(info) }));
}

export async function lobbySocket(c: Context<AppEnv>): Promise<Response> {
  return lobbyStub(c.env).fetch(forward(c, {}));
}
