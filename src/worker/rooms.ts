/** `/api/rooms/*`: browse, create, join and leave rooms; history; read cursors. */
import { Hono, type Context } from 'hono';
import {
  chatKind,
  createRoomBody,
  historyQuery,
  memberSearchQuery,
  onlineListQuery,
  readCursorBody,
  roomListQuery,
  usernameKey,
} from '../shared/api';
import { nameSkeleton } from '../shared/names';
import { profileRefFields } from '../shared/profile';
import { markFields } from '../shared/user-mark';
import { isUniqueViolation, nameTooSimilar, toUserRef } from './accounts';
import { assertDmMember, roomAccess, roomStub } from './access';
import { invitesRevoked, joinRoom } from './room-admin/authority';
import type { AppEnv } from './context';
import { ApiError } from './errors';
import {
  parseBody,
  parseInput,
  readAllWithSession,
  readWithSession,
  requireUser,
} from './middleware';
import {
  historyAroundStatement,
  historyStatement,
  roomDirectory,
  toHistoryPage,
  type HistoryRow,
} from './queries';
import { announceRead } from './profiles/receipts';
import { searchByName } from './name-search';
import { readMovedInTabs } from './chat-list-live';
import { spendOrThrow, type Bucket } from './rate-buckets';
import { pageNotices, pageNoticesStatement, toNotices } from './room-notices';
import { dmFacts } from './group-dms';
import { memberList } from './member-list';

/** New rooms per user: 10 at once, then 10 an hour. */
export const ROOM_CREATIONS: Bucket = { burst: 10, perSecond: 10 / 3600 };
/** Rooms one user may ever create. */
export const ROOMS_PER_USER = 50;
/** Joins and leaves per user in one room: 3 join/leave cycles, then one change a minute. */
export const MEMBERSHIP_CHANGES_PER_ROOM: Bucket = { burst: 6, perSecond: 1 / 60 };
/** Joins and leaves per user across all rooms: 30 at once, then one every 10 seconds. */
export const MEMBERSHIP_CHANGES: Bucket = { burst: 30, perSecond: 1 / 10 };

export const rooms = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => {
    const query = parseInput(roomListQuery, c.req.query());
    const page = await roomDirectory(c.env.DB, c.var.user.id, {
      // An empty `cursor=` is the first page, like none.
      after: query.cursor ? decodeCursor(query.cursor) : null,
      search: usernameKey(query.q),
      limit: query.limit,
    });
    return c.json(
      {
        rooms: page.rooms,
        nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter),
      },
      200,
    );
  })
  .post('/', async (c) => {
    const body = await parseBody(c.req, createRoomBody);
    const user = c.var.user;
    const key = usernameKey(body.name);
    const skeleton = nameSkeleton(body.name);
    await assertRoomNameFree(c.env.DB, key, skeleton);
    await assertUnderQuota(c.env.DB, user.id);
    await spendOrThrow(
      c.env.DB,
      `rooms:create:${user.id}`,
      ROOM_CREATIONS,
      'You are creating rooms too quickly',
    );
    const now = Date.now();
    const id = crypto.randomUUID();
    let created: D1Result;
    try {
      // The quota is checked again inside the insert, so parallel creations cannot pass it.
      [created] = (await c.env.DB.batch([
        c.env.DB.prepare(
          `INSERT INTO rooms (id, kind, name, name_key, name_skeleton, topic, created_by, owner_id, is_private, created_at, last_activity_at)
           SELECT ?1, 'public', ?2, ?3, ?4, ?5, ?6, ?6, ?9, ?7, ?7
           WHERE (SELECT count(*) FROM rooms WHERE created_by = ?6 AND kind = 'public') < ?8`,
        ).bind(
          id,
          body.name,
          key,
          skeleton,
          body.topic || null,
          user.id,
          now,
          ROOMS_PER_USER,
          body.private ? 1 : 0,
        ),
        c.env.DB.prepare(
          `INSERT INTO memberships (room_id, user_id, read_seq, joined_at)
           SELECT ?1, ?2, 0, ?3 WHERE EXISTS (SELECT 1 FROM rooms WHERE id = ?1)`,
        ).bind(id, user.id, now),
      ])) as [D1Result];
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw /name_skeleton/.test(String((err as { cause?: unknown }).cause ?? err))
        ? nameTooSimilar(undefined, 'name')
        : roomNameTaken();
    }
    if (created.meta.changes === 0) throw quotaExceeded();
    const room = {
      id,
      kind: chatKind('public', body.private ?? false),
      name: body.name,
      topic: body.topic || null,
      memberCount: 1,
      onlineCount: 0,
      lastActivityAt: now,
      member: true,
    };
    return c.json({ room }, 201);
  })
  .get('/:id', async (c) => {
    const roomId = c.req.param('id');
    const dm = assertDmMember(roomId, c.var.user.id);
    // A private room is not found by a non-member; a banned user is refused (access.ts).
    if (!dm) await roomAccess(c.env.DB, roomId, c.var.user.id);
    const peerId = dm?.length === 2 ? dm.find((id) => id !== c.var.user.id)! : null;
    const facts = await dmFacts(c.env.DB, roomId, c.var.user.id, peerId);
    if (!facts) throw new ApiError(404, 'room_not_found', 'No such room');
    const { users: online, count } = await roomStub(c.env, roomId).onlineUsers();
    return c.json({ room: { ...facts, onlineCount: count }, online }, 200);
  })
  .get('/:id/online', async (c) => {
    const roomId = c.req.param('id');
    const { after, limit } = parseInput(onlineListQuery, c.req.query());
    await roomAccess(c.env.DB, roomId, c.var.user.id); // 404 for a room that does not exist
    const { users, count } = await roomStub(c.env, roomId).onlineUsers(after, limit);
    const nextCursor = users.length === limit ? users.at(-1)!.id : null;
    return c.json({ online: users, count, nextCursor }, 200);
  })
  .get('/:id/members', async (c) => {
    const roomId = c.req.param('id');
    const { q, limit } = parseInput(memberSearchQuery, c.req.query());
    const { info } = await roomAccess(c.env.DB, roomId, c.var.user.id);
    // Everyone is in the global room; other chats list their memberships (name-search.ts).
    // A deleted account cannot be mentioned.
    const members = await searchByName(c.env.DB, c.var.db, q, limit, {
      where: `(?4 = 'global' OR EXISTS
        (SELECT 1 FROM memberships m WHERE m.room_id = ?3 AND m.user_id = u.id))`,
      params: [info.id, info.kind],
    });
    return c.json({ members }, 200);
  })
  .get('/:id/member-list', memberList)
  .post('/:id/join', async (c) => {
    const user = c.var.user;
    const { info, member } = await roomAccess(c.env.DB, c.req.param('id'), user.id);
    if (info.kind === 'dm')
      throw new ApiError(403, 'forbidden', 'Direct messages cannot be joined');
    // Joining a room you are in changes nothing and announces nothing, so it costs nothing.
    if (member) return c.json({ ok: true as const, roomId: info.id }, 200);
    await spendMembershipChange(c.env.DB, user.id, info.id);
    // A parallel join that inserted first is the only one announced; a ban made since the
    // check above is refused (joinRoom).
    const me = toUserRef(user);
    const notice = { kind: 'joined' as const, actor: me, subject: me };
    await joinRoom(c.env, info, user.id, notice, 'You are banned from this room');
    return c.json({ ok: true as const, roomId: info.id }, 200);
  })
  .post('/:id/leave', async (c) => {
    const user = c.var.user;
    const { info, member, role } = await roomAccess(c.env.DB, c.req.param('id'), user.id);
    if (info.kind !== 'public') throw new ApiError(403, 'forbidden', 'You cannot leave this chat');
    if (!member) return c.json({ ok: true as const }, 200);
    if (role === 'owner') {
      const why = 'The owner cannot leave: transfer ownership or delete the room first';
      throw new ApiError(403, 'forbidden', why);
    }
    await spendMembershipChange(c.env.DB, user.id, info.id);
    // Never the owner, even one made owner since the check above.
    const me = toUserRef(user);
    await roomStub(c.env, info.id).changeSetting(
      info,
      [
        {
          sql: `DELETE FROM memberships WHERE room_id = ?1 AND user_id = ?2
                AND user_id != coalesce((SELECT owner_id FROM rooms WHERE id = ?1), '')`,
          params: [info.id, user.id],
        },
        // A moderator who leaves takes their links along (made one again, they stay dead).
        invitesRevoked(info.id, user.id, { ifGone: true }),
      ],
      {
        notice: { kind: 'left', actor: me, subject: me },
        disconnect: { userId: user.id, reason: 'You left this room' },
      },
      { hub: { userId: user.id, op: 'left' } },
    );
    return c.json({ ok: true as const }, 200);
  })
  .put('/:id/read', async (c) => {
    const { seq } = await parseBody(c.req, readCursorBody);
    const roomId = c.req.param('id');
    // A cursor never passes the room's last seq. D1's copy of it lags the room by ~100 ms,
    // so a cursor past D1's is clamped by asking the room itself (a member's room exists).
    const setRead = (clamp: string, value: number) =>
      c.env.DB.prepare(
        `UPDATE memberships SET read_seq = max(read_seq, min(?3, ${clamp})), added_unseen = 0
         WHERE room_id = ?1 AND user_id = ?2
         RETURNING coalesce((SELECT last_seq FROM rooms WHERE id = ?1), 0) AS last_seq`,
      )
        .bind(roomId, c.var.user.id, value)
        .first<{ last_seq: number }>();
    const row = await setRead('coalesce((SELECT last_seq FROM rooms WHERE id = ?1), 0)', seq);
    if (!row) throw new ApiError(403, 'not_a_member', 'You are not a member of this chat');
    if (seq > row.last_seq)
      await setRead('?3', Math.min(seq, await roomStub(c.env, roomId).lastSeq()));
    await announceRead(c.env, roomId, c.var.user.id);
    await readMovedInTabs(c.env, c.var.user.id, roomId);
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
  const { around, after, limit } = query;
  const window =
    around !== undefined
      ? { query: { around }, from: around, older: Math.ceil(limit / 2) }
      : after !== undefined
        ? { query: { after }, from: after + 1, older: 0 }
        : null;
  const viewer = c.var.claims.userId;
  if (!window) {
    // The page and its notices in one batch with the session check.
    const [rows, notices] = await readAllWithSession(c, [
      historyStatement(c.env.DB, roomId, query.before, limit, viewer),
      pageNoticesStatement(c.env.DB, roomId, query.before, limit, viewer),
    ]);
    assertDmMember(roomId, c.var.user.id);
    const page = toHistoryPage(rows as HistoryRow[], limit, c.var.user.id);
    if (!page) throw new ApiError(404, 'room_not_found', 'No such room');
    return c.json({ ...page, notices: toNotices(notices!) }, 200);
  }
  const rows = await readWithSession<HistoryRow>(
    c,
    historyAroundStatement(c.env.DB, roomId, window.query, limit, viewer),
  );
  assertDmMember(roomId, c.var.user.id);
  const page = toHistoryPage(rows, limit, c.var.user.id, window);
  if (!page) throw new ApiError(404, 'room_not_found', 'No such room');
  return c.json({ ...page, notices: await pageNotices(c.env.DB, roomId, page) }, 200);
}

/**
 * Each join or leave that changes something spends a token for this room and one for the
 * user overall, so join/leave cycles cannot flood a room's members (or every room's) with
 * announcements.
 */
async function spendMembershipChange(db: D1Database, userId: string, roomId: string) {
  const message = 'You are joining and leaving rooms too quickly';
  await spendOrThrow(db, `rooms:member:${userId}:${roomId}`, MEMBERSHIP_CHANGES_PER_ROOM, message);
  await spendOrThrow(db, `rooms:member:${userId}`, MEMBERSHIP_CHANGES, message);
}

async function assertUnderQuota(db: D1Database, userId: string): Promise<void> {
  const row = await db
    .prepare(`SELECT count(*) AS n FROM rooms WHERE created_by = ?1 AND kind = 'public'`)
    .bind(userId)
    .first<{ n: number }>();
  if (row!.n >= ROOMS_PER_USER) throw quotaExceeded();
}

function quotaExceeded(): ApiError {
  return new ApiError(
    429,
    'quota_exceeded',
    `You have created ${ROOMS_PER_USER} rooms, the most one person may create`,
  );
}

/**
 * 409 when a room has the name (case-insensitively) or one that looks the same (equal
 * confusable skeleton), the global room included. The unique indexes on both columns hold
 * under races; this check finds the existing room to name in the message.
 */
export async function assertRoomNameFree(
  db: D1Database,
  key: string,
  skeleton: string,
): Promise<void> {
  await backfillRoomSkeletons(db);
  const clash = await db
    .prepare(
      `SELECT name, name_key, is_private FROM rooms WHERE name_key = ?1 OR name_skeleton = ?2 LIMIT 1`,
    )
    .bind(key, skeleton)
    .first<{ name: string; name_key: string; is_private: number }>();
  if (!clash) return;
  if (clash.name_key === key) throw roomNameTaken();
  // A private room's name is not told to whoever happens to pick a look-alike (that some
  // room has such a name is: names are unique across all rooms, docs/security.md).
  throw nameTooSimilar(clash.is_private ? undefined : clash.name, 'name');
}

function roomNameTaken(): ApiError {
  return new ApiError(409, 'room_name_taken', 'A room with that name exists', 'name');
}

// D1 binds at most 100 parameters a statement; one batch updates this many rooms.
const BACKFILL_BATCH = 90;

/**
 * Rooms created before `name_skeleton` existed (the global room among them) have none, and a
 * look-alike of their name would pass. TR39 needs JavaScript, so they are filled here,
 * before each name check until none is left. Two old names that already look alike cannot
 * share the unique skeleton: the later one keeps `skeleton#id`, never equal to a new name's.
 */
async function backfillRoomSkeletons(db: D1Database): Promise<void> {
  for (let round = 0; round < 50; round += 1) {
    // `+name_skeleton` keeps SQLite off that column's index, whose NULLs are mostly DMs:
    // the kind index reads only global and public rooms.
    const { results: missing } = await db
      .prepare(
        `SELECT id, name FROM rooms WHERE kind IN ('global', 'public') AND +name_skeleton IS NULL
         ORDER BY created_at, id LIMIT ?1`,
      )
      .bind(BACKFILL_BATCH)
      .all<{ id: string; name: string }>();
    if (missing.length === 0) return;
    const wanted = missing.map((r) => nameSkeleton(r.name));
    const { results: taken } = await db
      .prepare(
        `SELECT name_skeleton FROM rooms WHERE name_skeleton IN (SELECT value FROM json_each(?1))`,
      )
      .bind(JSON.stringify(wanted))
      .all<{ name_skeleton: string }>();
    const seen = new Set(taken.map((t) => t.name_skeleton));
    const updates = missing.map((r, i) => {
      const skeleton = wanted[i]!;
      const unique = seen.has(skeleton) ? `${skeleton}#${r.id}` : skeleton;
      seen.add(skeleton);
      return db
        .prepare(`UPDATE rooms SET name_skeleton = ?2 WHERE id = ?1 AND name_skeleton IS NULL`)
        .bind(r.id, unique);
    });
    try {
      await db.batch(updates);
    } catch (err) {
      // A concurrent backfill took a skeleton first: the next name check finishes the job.
      if (isUniqueViolation(err)) return;
      throw err;
    }
    if (missing.length < BACKFILL_BATCH) return;
  }
}

const CURSOR_PREFIX = 'k';

/**
 * The browser's page cursor: the `name_key` the next page starts after, base64url-encoded
 * behind a `k`. The prefix keeps every cursor non-empty: after a first page that ends with
 * the global room the key is '', and an empty cursor would read as "no cursor" (page one
 * again, forever) to a client testing it for truth.
 */
function encodeCursor(after: string): string {
  const bytes = new TextEncoder().encode(after);
  return (
    CURSOR_PREFIX +
    btoa(String.fromCharCode(...bytes))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '')
  );
}

function decodeCursor(cursor: string): string {
  try {
    if (!/^k[A-Za-z0-9_-]*$/.test(cursor)) throw new Error('not a cursor');
    const binary = atob(
      cursor.slice(CURSOR_PREFIX.length).replaceAll('-', '+').replaceAll('_', '/'),
    );
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ApiError(
      400,
      'invalid_cursor',
      'This cursor is not one the room list gave out',
      'cursor',
    );
  }
}
