/** `/api/rooms/*`: browse, create, join and leave rooms; history; read cursors. */
import { and, eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { createRoomBody, historyQuery, readCursorBody, usernameKey } from '../shared/api';
import { isUniqueViolation, readFromNow, toUserRef } from './accounts';
import { assertDmMember, lobbyStub, roomAccess, roomStub } from './access';
import type { AppEnv } from './context';
import * as schema from './db/schema';
import { ApiError } from './errors';
import { parseBody, parseInput, readWithSession, requireUser } from './middleware';
import { historyStatement, publicRooms, toHistoryPage, type HistoryRow } from './queries';

export const rooms = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => {
    const [list, online] = await Promise.all([
      publicRooms(c.env.DB, c.var.user.id),
      lobbyStub(c.env).roomOnline(),
    ]);
    return c.json({ rooms: list.map((r) => ({ ...r, onlineCount: online[r.id] ?? 0 })) }, 200);
  })
  .post('/', async (c) => {
    const body = await parseBody(c.req, createRoomBody);
    const now = Date.now();
    const id = crypto.randomUUID();
    try {
      await c.var.db.batch([
        c.var.db.insert(schema.rooms).values({
          id,
          kind: 'public',
          name: body.name,
          nameKey: usernameKey(body.name),
          topic: body.topic || null,
          createdBy: c.var.user.id,
          createdAt: now,
          lastActivityAt: now,
        }),
        c.var.db
          .insert(schema.memberships)
          .values({ roomId: id, userId: c.var.user.id, joinedAt: now }),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ApiError(409, 'room_name_taken', 'A room with that name exists', 'name');
      }
      throw err;
    }
    const room = {
      id,
      kind: 'public' as const,
      name: body.name,
      topic: body.topic || null,
      memberCount: 1,
      onlineCount: 0,
      lastActivityAt: now,
      member: true,
    };
    return c.json({ room }, 201);
  })
  .post('/:id/join', async (c) => {
    const { info, member } = await roomAccess(c.env.DB, c.req.param('id'), c.var.user.id);
    if (info.kind === 'dm')
      throw new ApiError(403, 'forbidden', 'Direct messages cannot be joined');
    if (!member) {
      await c.var.db
        .insert(schema.memberships)
        .values({
          roomId: info.id,
          userId: c.var.user.id,
          joinedAt: Date.now(),
          readSeq: readFromNow(info.id),
        })
        .onConflictDoNothing();
      await roomStub(c.env, info.id).membership(info, 'joined', toUserRef(c.var.user));
    }
    return c.json({ ok: true as const, roomId: info.id }, 200);
  })
  .post('/:id/leave', async (c) => {
    const { info, member } = await roomAccess(c.env.DB, c.req.param('id'), c.var.user.id);
    if (info.kind !== 'public') throw new ApiError(403, 'forbidden', 'You cannot leave this chat');
    if (member) {
      await c.var.db
        .delete(schema.memberships)
        .where(
          and(eq(schema.memberships.roomId, info.id), eq(schema.memberships.userId, c.var.user.id)),
        );
      await roomStub(c.env, info.id).membership(info, 'left', toUserRef(c.var.user));
    }
    return c.json({ ok: true as const }, 200);
  })
  .put('/:id/read', async (c) => {
    const { seq } = await parseBody(c.req, readCursorBody);
    const result = await c.env.DB.prepare(
      `UPDATE memberships SET read_seq = max(read_seq, ?3) WHERE room_id = ?1 AND user_id = ?2`,
    )
      .bind(c.req.param('id'), c.var.user.id, seq)
      .run();
    if (result.meta.changes === 0) {
      throw new ApiError(403, 'not_a_member', 'You are not a member of this chat');
    }
    return c.json({ ok: true as const }, 200);
  });

/**
 * `GET /api/rooms/:id/messages`, mounted ahead of `rooms` with `requireClaims`: it checks the
 * session itself, in the same D1 batch as the page.
 */
export async function roomHistory(c: Context<AppEnv>) {
  const query = parseInput(historyQuery, c.req.query());
  // Public rooms are readable by anyone signed in; a DM only by its pair, decided from its
  // id. So a page costs one D1 round trip: the session check and the page in one batch.
  const roomId = c.req.param('id')!;
  const rows = await readWithSession<HistoryRow>(
    c,
    historyStatement(c.env.DB, roomId, query.before, query.limit),
  );
  assertDmMember(roomId, c.var.user.id);
  const page = toHistoryPage(rows, query.limit);
  if (!page) throw new ApiError(404, 'room_not_found', 'No such room');
  return c.json(page, 200);
}
