/**
 * Who may do what in a room (issue 12), and the steps every admin route shares: find the
 * room and the caller's role, refuse what the role does not allow, tell the room's object.
 *
 * Owner: everything below, plus settings, moderators, ownership, archive and delete.
 * Moderator: remove messages, remove/ban/unban/invite members, invite links, slow mode,
 * the audit list. Nobody acts on the owner, and only the owner acts on a moderator.
 */
import type { Context } from 'hono';
import type { RoomRole } from '../../shared/moderation';
import type { UserRef } from '../../shared/protocol';
import { USER_REF_COLUMNS, userRefOf, type UserRefRow } from '../../durable/user-mark';
import type { Room, SettingOptions, SettingWrite } from '../../durable/room';
import type { RoomInfo } from '../../durable/room-info';
import { roomAccess, roomStub, type RoomAccess } from '../access';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';

export type Moderate = Parameters<Room['moderate']>[1];

/** The room in `:id` and the caller's role in it; DMs have no moderation. */
export async function adminAccess(c: Context<AppEnv>): Promise<RoomAccess> {
  const access = await roomAccess(c.env.DB, c.req.param('id')!, c.var.user.id, c.env);
  if (access.info.kind === 'dm')
    throw new ApiError(403, 'forbidden', 'Direct messages have no owner or moderators');
  return access;
}

/** Refuses unless the caller is the owner (`owner`) or the owner or a moderator. */
export function requireRole(access: RoomAccess, needed: 'owner' | 'moderator'): void {
  if (access.role === 'owner') return;
  if (needed === 'moderator' && access.role === 'moderator') return;
  const who = needed === 'owner' ? "the room's owner" : "the room's owner and moderators";
  const global = access.info.kind === 'global' && needed === 'owner';
  throw new ApiError(
    403,
    'forbidden',
    global ? 'The global room has no owner: this cannot be changed' : `Only ${who} can do this`,
  );
}

/** A room member's id, name and role; null when they are not a member. */
export async function memberOf(
  db: D1Database,
  roomId: string,
  userId: string,
): Promise<{ user: UserRef; role: RoomRole } | null> {
  const row = await db
    .prepare(
      `SELECT ${USER_REF_COLUMNS}, m.role, r.owner_id = u.id AS owner
       FROM memberships m JOIN users u ON u.id = m.user_id JOIN rooms r ON r.id = m.room_id
       WHERE m.room_id = ?1 AND m.user_id = ?2`,
    )
    .bind(roomId, userId)
    .first<UserRefRow & { role: string; owner: number }>();
  if (!row) return null;
  return {
    user: userRefOf(row),
    role: row.owner === 1 ? 'owner' : row.role === 'moderator' ? 'moderator' : 'member',
  };
}

/** Any user by id, for bans and invitations of people who are not members. */
export async function anyUserRef(db: D1Database, userId: string): Promise<UserRef> {
  const row = await db
    .prepare(`SELECT ${USER_REF_COLUMNS} FROM users u WHERE u.id = ?1`)
    .bind(userId)
    .first<UserRefRow>();
  if (!row) throw new ApiError(404, 'user_not_found', 'No such user', 'userId');
  return userRefOf(row);
}

/** Refuses an action on someone the caller may not act on: oneself, the owner, or (for a moderator) another moderator. */
export function assertMayActOn(
  access: RoomAccess,
  actor: string,
  target: { user: UserRef; role: RoomRole },
): void {
  if (target.user.id === actor)
    throw new ApiError(403, 'forbidden', 'You cannot do this to yourself', 'userId');
  if (target.role === 'owner')
    throw new ApiError(403, 'forbidden', "Nobody can do this to the room's owner", 'userId');
  if (target.role === 'moderator' && access.role !== 'owner')
    throw new ApiError(403, 'forbidden', 'Only the owner can do this to a moderator', 'userId');
}

/**
 * A change's D1 `writes` (one batch) and its notice, made by the room's object one change at a
 * time so D1, the object and every client agree on the last one; null when the first write
 * changed nothing. `options`: the RETURNING row completes the notice; a member's hub is told.
 */
export function changeSetting(
  c: Context<AppEnv>,
  access: RoomAccess,
  writes: SettingWrite | SettingWrite[],
  change: Moderate,
  options: SettingOptions = {},
): Promise<number | null> {
  const list = Array.isArray(writes) ? writes : [writes];
  return roomStub(c.env, access.info.id).changeSetting(access.info, list, change, options);
}

/**
 * A member is gone (removed, banned): `writes` and the notice as one change (changeSetting);
 * their sockets close and their hub stops the room's notices in the same step. Null when
 * the first write changed nothing (not a member any more, banned already).
 */
export function memberGone(
  c: Context<AppEnv>,
  access: RoomAccess,
  userId: string,
  writes: SettingWrite | SettingWrite[],
  change: Moderate,
): Promise<number | null> {
  const list = [
    ...(Array.isArray(writes) ? writes : [writes]),
    invitesRevoked(access.info.id, userId),
  ];
  return changeSetting(c, access, list, change, { hub: { userId, op: 'left' } });
}

/**
 * Revokes the live invite links `userId` made in the room, for good: in the same change that
 * removes, bans or demotes them, or that they leave in, so a leaked link of theirs does not
 * outlive their say (and does not come back if they are made a moderator again).
 */
export function invitesRevoked(
  roomId: string,
  userId: string,
  { ifGone = false }: { ifGone?: boolean } = {},
): SettingWrite {
  // `ifGone`: only once they are no member (a leave that changed nothing revokes nothing).
  const gone = ifGone
    ? ' AND NOT EXISTS (SELECT 1 FROM memberships WHERE room_id = ?1 AND user_id = ?2)'
    : '';
  return {
    sql: `UPDATE room_invites SET revoked_at = ?3
          WHERE room_id = ?1 AND created_by = ?2 AND revoked_at IS NULL${gone}`,
    params: [roomId, userId, Date.now()],
  };
}

/**
 * Adds `userId` to the room through its object (changeSetting: D1, the notice and their hub
 * shard as one step), unless banned: the check is in the write itself, so a ban made since
 * the caller's own check holds. Returns the notice's seq; null when they were a member
 * already (a parallel join got there first). A ban that won the race is refused like one
 * found by the caller's check: 403 `banned`, with `bannedMessage`.
 */
export async function joinRoom(
  env: Env,
  info: RoomInfo,
  userId: string,
  notice: Moderate['notice'],
  bannedMessage: string,
  field?: string,
): Promise<number | null> {
  // Added by someone else, the room is news to them until they read it (added_unseen).
  const write: SettingWrite = {
    sql: `INSERT INTO memberships (room_id, user_id, joined_at, read_seq, added_unseen)
          SELECT ?1, ?2, ?3, last_seq, ?4 FROM rooms WHERE id = ?1 AND NOT EXISTS
            (SELECT 1 FROM room_bans WHERE room_id = ?1 AND user_id = ?2)
          ON CONFLICT DO NOTHING`,
    params: [info.id, userId, Date.now(), notice.kind === 'invited' ? 1 : 0],
  };
  const seq = await roomStub(env, info.id).changeSetting(
    info,
    [write],
    { notice },
    { hub: { userId, op: 'joined' } },
  );
  if (seq !== null) return seq;
  const banned = await env.DB.prepare('SELECT 1 FROM room_bans WHERE room_id = ?1 AND user_id = ?2')
    .bind(info.id, userId)
    .first();
  if (banned) throw new ApiError(403, 'banned', bannedMessage, field);
  return null;
}
