/**
 * WebSocket upgrades: authenticated (cookie, Bearer or subprotocol token), Origin-checked,
 * membership-checked, then handed to the room's Durable Object or the user's hub shard.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { refuse, upgrade } from '../durable/connections';
import { HUB_SHARD_HEADER } from '../durable/hub';
import { hubShardCount, hubShardOf, hubStub } from '../durable/hub-shards';
import {
  ROOM_INFO_HEADER,
  ROOM_STATE_HEADER,
  SESSION_HEADER,
  USER_HEADER,
} from '../durable/room-info';
import { CLOSE_CODES } from '../shared/protocol';
import { noteSeen } from './account/sessions';
import { toUserRef } from './accounts';
import {
  assertDmMember,
  roomAccessStatement,
  roomStub,
  toRoomAccess,
  type RoomAccess,
  type RoomAccessRow,
} from './access';
import type { AppEnv } from './context';
import { ApiError } from './errors';
import { embeddableRoom, mayEmbed } from './embed/origins';
import { originAllowed, readWithSession } from './middleware';

/**
 * Runs before the session check: a browser always sends Origin on a WebSocket, so a foreign
 * one is cross-site hijacking; clients without an Origin (scripts) are not browsers. The one
 * exception is a room's socket from a site on that room's embedding list (the widget's
 * loader counting unread messages), and then only a visitor's session made on that site
 * passes the session check (src/worker/embed/scope.ts).
 */
export const upgradeGuard = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(426, 'bad_request', 'This endpoint expects a WebSocket upgrade');
  }
  const origin = c.req.header('origin');
  const roomId = c.req.param('id');
  if (origin && !originAllowed(origin, c.env)) {
    if (roomId && mayEmbed(await embeddableRoom(c.env, roomId), origin)) return next();
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
  let access: RoomAccess;
  try {
    assertDmMember(roomId, c.var.user.id);
    // A private room is not found and a banned user refused (access.ts).
    access = toRoomAccess(row, roomId, c.var.user.id, c.env);
    if (!access.member)
      throw new ApiError(403, 'not_a_member', 'You are not a member of this room');
  } catch (err) {
    if (err instanceof ApiError) return refusedSocket(c.req.raw, err);
    throw err;
  }
  const { info, state } = access;
  return roomStub(c.env, info.id).fetch(
    forward(c, {
      [ROOM_INFO_HEADER]: JSON.stringify(info),
      [ROOM_STATE_HEADER]: JSON.stringify(state),
    }),
  );
}

/**
 * A browser shows a WebSocket refused with an HTTP status only as close code 1006, which reads
 * as a dropped network: a tab that was offline while its user was banned or removed would
 * retry forever. A refusal that retrying cannot change (banned, not a member, no such room)
 * therefore opens the socket to say so: one error frame, then close 1000 with the same
 * sentence, which the client shows in place of the chat's composer and does not retry.
 * Nothing of the room is sent and the room's object is never reached.
 */
function refusedSocket(req: Request, err: ApiError): Response {
  // The 101 echoes `parlor.v1` when asked (a client that offered a subprotocol and got none
  // back fails the handshake: 1006 again).
  const { server, response } = upgrade(req);
  refuse(server, CLOSE_CODES.normal, { type: 'error', code: err.code, message: err.message });
  return response;
}

/** The lobby socket goes to the user's hub shard (hub-shards.ts). */
export async function lobbySocket(c: Context<AppEnv>): Promise<Response> {
  const shard = hubShardOf(c.var.user.id, hubShardCount(c.env));
  // A tab opening its lobby socket is the session in use (the session list's "last seen").
  c.executionCtx.waitUntil(noteSeen(c.env.DB, c.var.sessionId).catch(() => {}));
  return hubStub(c.env, shard).fetch(forward(c, { [HUB_SHARD_HEADER]: String(shard) }));
}
