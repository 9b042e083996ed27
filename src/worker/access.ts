/** Who may see which room: the one place that decides, for HTTP and WebSocket alike. */
import type { RoomKind } from '../shared/api';
import type { RoomRole } from '../shared/moderation';
import type { UserRef } from '../shared/protocol';
import type { RoomState } from '../durable/moderation';
import { dmMembers, roomStub, type RoomInfo } from '../durable/room-info';
import { ApiError } from './errors';

export interface RoomAccess {
  info: RoomInfo;
  member: boolean;
  /** The user's role (issue 12); null when not a member. */
  role: RoomRole | null;
  private: boolean;
  /** What the room's object enforces itself, from D1 (sent with each upgrade). */
  state: RoomState;
}

/**
 * Resolves a room for a user. DMs are decided from the id itself (the sorted members), so
 * anyone else is refused before any lookup; other rooms must exist. A private room is "not
 * found" to a non-member, and a banned user is refused every room route.
 */
export async function roomAccess(
  db: D1Database,
  roomId: string,
  userId: string,
  env?: Env,
): Promise<RoomAccess> {
  assertDmMember(roomId, userId);
  const row = await roomAccessStatement(db, roomId, userId).first<RoomAccessRow>();
  return toRoomAccess(row ?? undefined, roomId, userId, env);
}

export interface RoomAccessRow {
  kind: RoomKind;
  member: number;
  is_private: number;
  owner: number;
  role: 'member' | 'moderator' | null;
  banned: number;
  archived: number;
  slow_mode_seconds: number;
}

export function roomAccessStatement(db: D1Database, roomId: string, userId: string) {
  return db
    .prepare(
      `SELECT r.kind, r.is_private, r.slow_mode_seconds, r.archived_at IS NOT NULL AS archived,
         coalesce(r.owner_id = ?2, 0) AS owner, m.role, m.user_id IS NOT NULL AS member,
         EXISTS (SELECT 1 FROM room_bans WHERE room_id = r.id AND user_id = ?2) AS banned
       FROM rooms r LEFT JOIN memberships m ON m.room_id = r.id AND m.user_id = ?2
       WHERE r.id = ?1`,
    )
    .bind(roomId, userId);
}

export function toRoomAccess(
  row: RoomAccessRow | undefined,
  roomId: string,
  userId: string,
  env?: Env,
): RoomAccess {
  if (!row || (row.is_private === 1 && row.member !== 1))
    throw new ApiError(404, 'room_not_found', 'No such room');
  if (row.banned === 1) throw new ApiError(403, 'banned', 'You are banned from this room');
  const members = dmMembers(roomId);
  const member = row.member === 1 || row.kind === 'global';
  const role: RoomRole | null =
    row.kind === 'dm' || !member
      ? member
        ? 'member'
        : null
      : row.owner === 1
        ? 'owner'
        : row.role === 'moderator' || (row.kind === 'global' && globalModerator(env, userId))
          ? 'moderator'
          : 'member';
  return {
    info: { id: roomId, kind: row.kind, ...(members && { members }) },
    member,
    role,
    private: row.is_private === 1,
    state: {
      archived: row.archived === 1,
      private: row.is_private === 1,
      slowModeSeconds: row.slow_mode_seconds,
      ...(role && { roles: [{ userId, role }] }),
    },
  };
}

/**
 * The global room has no owner: the deployment names its moderators (user ids in
 * `GLOBAL_MODERATORS`, comma-separated). Nobody can rename, archive, delete or privatise it.
 */
export function globalModerator(env: Env | undefined, userId: string): boolean {
  return (env?.GLOBAL_MODERATORS ?? '')
    .split(',')
    .map((s) => s.trim())
    .includes(userId);
}

/**
 * Refuses a DM (a pair or a group) to anyone its id does not name, from the id alone;
 * returns the members for a DM id.
 */
export function assertDmMember(roomId: string, userId: string): string[] | null {
  const members = dmMembers(roomId);
  if (members && !members.includes(userId)) {
    throw new ApiError(403, 'forbidden', 'This conversation is private to its members');
  }
  return members;
}

export { roomStub };

export type { UserRef };
