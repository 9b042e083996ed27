/** `/api/users`, `/api/dms`, `/api/chats`, `/api/presence`: people and the chat list. */
import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { openDmBody, userSearchQuery } from '../shared/api';
import { dmRoomId } from '../durable/room-info';
import { toUserRef } from './accounts';
import { hubOf } from '../durable/hub-shards';
import type { AppEnv } from './context';
import * as schema from './db/schema';
import { ApiError } from './errors';
import { parseBody, parseInput, requireUser } from './middleware';
import { blockedAmong } from './blocks';
import { searchByName } from './name-search';
import { isFormerGuestKey } from './account/name-hold';
import { chatList } from './queries';
import { roomStub } from './access';
import { announceRead } from './profiles/receipts';
import { memberOf } from './room-admin/authority';
import { readMovedInTabs, reopenChat } from './chat-list-live';

/** People one search answers with. */
const SEARCH_PAGE = 20;

export const users = new Hono<AppEnv>()
  .use(requireUser)
  /** People whose username or display name starts with `prefix` (name-search.ts). */
  .get('/', async (c) => {
    const { prefix } = parseInput(userSearchQuery, c.req.query());
    // A widget user belongs to one embedded room and can read no DM: not found here.
    const users = await searchByName(c.env.DB, c.var.db, prefix, SEARCH_PAGE, {
      where: 'u.id != ?3 AND u.is_visitor = 0',
      params: [c.var.user.id],
    });
    return c.json({ users }, 200);
  })
  /** One person by id, as others see them (a mention names someone by id). */
  .get('/:id', async (c) => {
    const [found] = await c.var.db
      .select()
      .from(schema.users)
      .where(eq(schema.users.id, c.req.param('id')))
      .limit(1);
    if (!found) throw new ApiError(404, 'user_not_found', 'No such user');
    return c.json({ user: toUserRef(found) }, 200);
  });

export const dms = new Hono<AppEnv>().use(requireUser).post('/', async (c) => {
  const { userId } = await parseBody(c.req, openDmBody);
  const me = c.var.user;
  if (userId === me.id)
    throw new ApiError(400, 'validation_failed', 'You cannot message yourself', 'userId');
  const peer = await c.var.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, userId) });
  // A deleted account, or a guest who signed out (nobody can ever sign in as them again).
  if (!peer || peer.deletedAt !== null || isFormerGuestKey(peer.usernameKey))
    throw new ApiError(404, 'user_not_found', 'No such user');
  // A widget user can read their embedded room only: a DM would be one they never see.
  if (peer.isVisitor)
    throw new ApiError(
      403,
      'forbidden',
      'This person chats through a website’s widget and cannot receive direct messages',
      'userId',
    );
  const id = dmRoomId(me.id, peer.id);
  const [existing, blocked] = await Promise.all([
    c.env.DB.prepare('SELECT 1 FROM rooms WHERE id = ?1').bind(id).first(),
    blockedAmong(c.env.DB, me.id, [peer.id]),
  ]);
  // A DM that exists stays readable to both; a block only keeps a new one from being made.
  if (!existing && blocked.size > 0)
    throw new ApiError(403, 'blocked', 'You cannot message this person', 'userId');
  const now = Date.now();
  await c.var.db.batch([
    c.var.db
      .insert(schema.rooms)
      .values({ id, kind: 'dm', name: '', createdBy: me.id, createdAt: now, lastActivityAt: now })
      .onConflictDoNothing(),
    c.var.db
      .insert(schema.memberships)
      .values([
        { roomId: id, userId: me.id, joinedAt: now },
        { roomId: id, userId: peer.id, joinedAt: now },
      ])
      .onConflictDoNothing(),
  ]);
  // Opened again after it was closed: back in the list (every tab's).
  await reopenChat(c.env, id, me.id);
  const [chat] = await chatList(c.env.DB, me.id, id);
  return c.json({ chat: chat! }, 200);
});

export const chats = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => c.json({ chats: await chatList(c.env.DB, c.var.user.id) }, 200))
  /** One chat's row, as in the list (a tab re-reads it when the lobby says it changed). */
  .get('/:id', async (c) => {
    const [chat] = await chatList(c.env.DB, c.var.user.id, c.req.param('id'));
    if (!chat) throw new ApiError(404, 'not_found', 'You have no such chat');
    return c.json({ chat }, 200);
  })
  /**
   * Closes a DM (pair or group): out of the user's chat list, read to its end, until a newer
   * message or until they open it again (`DELETE`, or `POST /api/dms`). Rooms are left, not
   * closed. The user's other tabs re-read the row.
   */
  .put('/:id/closed', (c) => setClosed(c, true))
  .delete('/:id/closed', (c) => setClosed(c, false));

async function setClosed(c: Context<AppEnv>, closed: boolean) {
  const roomId = c.req.param('id')!;
  const userId = c.var.user.id;
  const member = await memberOf(c.env.DB, roomId, userId);
  if (!member) throw new ApiError(404, 'not_found', 'You have no such chat');
  if (!roomId.startsWith('dm:'))
    throw new ApiError(400, 'bad_request', 'Only direct messages close; leave a room instead');
  if (!closed) {
    await reopenChat(c.env, roomId, userId);
  } else {
    // Up to the room's own last seq: D1's copy lags it by ~100 ms, and a message that came
    // just before the close must not bring the chat back as unread.
    const lastSeq = await roomStub(c.env, roomId).lastSeq();
    await c.env.DB.prepare(
      `UPDATE memberships SET hidden_seq = ?3, read_seq = max(read_seq, ?3)
       WHERE room_id = ?1 AND user_id = ?2`,
    )
      .bind(roomId, userId, lastSeq)
      .run();
    await announceRead(c.env, roomId, userId);
    await readMovedInTabs(c.env, userId, roomId);
  }
  const [chat] = await chatList(c.env.DB, userId, roomId);
  return c.json({ chat: chat! }, 200);
}

export const presence = new Hono<AppEnv>()
  .use(requireUser)
  /** The people the user has DMs with who are online (presence of everyone does not scale). */
  .get('/', async (c) =>
    c.json({ online: await hubOf(c.env, c.var.user.id).onlineContacts(c.var.user.id) }, 200),
  );
