/**
 * `POST /api/dms/group`: opens (creating once) the group DM of the caller and 2–7 others.
 * Like a pair, a group is one chat per set of people: its id is derived from the sorted
 * member ids (src/shared/dm.ts), so the same set always opens the same chat, and its
 * members are fixed: a different set of people is a different chat.
 */
import { inArray } from 'drizzle-orm';
import { Hono } from 'hono';
import type { RoomSummary } from '../shared/api';
import { dmRoomId, isGroupDm } from '../shared/dm';
import { openGroupDmBody } from '../shared/dm-bodies';
import type { AppEnv } from './context';
import * as schema from './db/schema';
import { ApiError } from './errors';
import { parseBody, requireUser } from './middleware';
import { groupMembers, groupName } from './group-members';
import { isFormerGuestKey } from './account/name-hold';
import { blockedAmong } from './blocks';
import { reopenChat } from './chat-list-live';
import { chatList, roomFacts } from './queries';
import { spendOrThrow, type Bucket } from './rate-buckets';

/**
 * New groups per person: any two people make a new group with a third, so unlike pairs
 * their number is not bounded by the number of users. Reopening one spends nothing.
 */
export const GROUP_DM_CREATIONS: Bucket = { burst: 20, perSecond: 20 / 3600 };

/** Duplicates and the caller's own id, refused naming the list entry (`userIds.<i>`). */
function assertDistinctOthers(userIds: string[], me: string): void {
  const seen = new Set<string>();
  userIds.forEach((id, i) => {
    if (id === me)
      throw new ApiError(
        400,
        'validation_failed',
        'List only the other people: you are in the group already',
        `userIds.${i}`,
      );
    if (seen.has(id))
      throw new ApiError(
        400,
        'validation_failed',
        'Each person can be listed once',
        `userIds.${i}`,
      );
    seen.add(id);
  });
}

export const groupDms = new Hono<AppEnv>().use(requireUser).post('/', async (c) => {
  const { userIds } = await parseBody(c.req, openGroupDmBody);
  const me = c.var.user;
  assertDistinctOthers(userIds, me.id);
  const db = c.var.db;
  const found = await db
    .select({
      id: schema.users.id,
      deletedAt: schema.users.deletedAt,
      isVisitor: schema.users.isVisitor,
      usernameKey: schema.users.usernameKey,
    })
    .from(schema.users)
    .where(inArray(schema.users.id, userIds));
  const live = new Set(
    found.filter((u) => u.deletedAt === null && !isFormerGuestKey(u.usernameKey)).map((u) => u.id),
  );
  const missing = userIds.findIndex((id) => !live.has(id));
  // A deleted account or a signed-out guest is "no such user", as for a pair.
  if (missing >= 0) throw new ApiError(404, 'user_not_found', 'No such user', `userIds.${missing}`);
  const visitor = userIds.findIndex((id) => found.some((u) => u.id === id && u.isVisitor));
  if (visitor >= 0)
    throw new ApiError(
      403,
      'forbidden',
      'This person chats through a website’s widget and cannot join a group conversation',
      `userIds.${visitor}`,
    );

  const id = dmRoomId(me.id, ...userIds);
  const existing = await db.query.rooms.findFirst({
    columns: { id: true },
    where: (r, { eq }) => eq(r.id, id),
  });
  if (!existing) {
    // The caller makes no new group with someone they block or who blocks them. (Blocks
    // between two of the others are theirs: the answer would tell the caller of them.)
    const blocked = await blockedAmong(c.env.DB, me.id, userIds);
    const first = userIds.findIndex((id) => blocked.has(id));
    if (first >= 0)
      throw new ApiError(
        403,
        'blocked',
        'You cannot start a group with this person',
        `userIds.${first}`,
      );
    await spendOrThrow(
      c.env.DB,
      `group-dm:${me.id}`,
      GROUP_DM_CREATIONS,
      'Too many new group conversations',
    );
    const now = Date.now();
    await db.batch([
      db
        .insert(schema.rooms)
        .values({ id, kind: 'dm', name: '', createdBy: me.id, createdAt: now, lastActivityAt: now })
        .onConflictDoNothing(),
      db
        .insert(schema.memberships)
        .values([me.id, ...userIds].map((userId) => ({ roomId: id, userId, joinedAt: now })))
        .onConflictDoNothing(),
    ]);
  }
  // Opened again after it was closed: back in the list.
  await reopenChat(c.env, id, me.id);
  const [chat] = await chatList(c.env.DB, me.id, id);
  return c.json({ chat: chat! }, 200);
});

/**
 * A chat's facts for `GET /api/rooms/:id` (`roomFacts`), a group DM named after its other
 * members. Undefined for an unknown room.
 */
export async function dmFacts(
  db: D1Database,
  roomId: string,
  viewer: string,
  peerId: string | null,
): Promise<RoomSummary | undefined> {
  const facts = await roomFacts(db, roomId, viewer, peerId);
  if (!facts || !isGroupDm(roomId)) return facts;
  const members = (await groupMembers(db, [roomId], viewer)).get(roomId) ?? [];
  return { ...facts, name: groupName(members) };
}
