/** Who may see which room: the one place that decides, for HTTP and WebSocket alike. */
import type { RoomKind } from '../shared/api';
import type { UserRef } from '../shared/protocol';
import { dmMembers, roomStub, type RoomInfo } from '../durable/room-info';
import { ApiError } from './errors';

interface RoomAccess {
  info: RoomInfo;
  member: boolean;
}

/**
 * Resolves a room for a user. DMs are decided from the id itself (the sorted pair), so a
 * third user is refused before any lookup; other rooms must exist.
 */
export async function roomAccess(
  db: D1Database,
  roomId: string,
  userId: string,
): Promise<RoomAccess> {
  assertDmMember(roomId, userId);
  const row = await roomAccessStatement(db, roomId, userId).first<RoomAccessRow>();
  return toRoomAccess(row ?? undefined, roomId);
}

export interface RoomAccessRow {
  kind: RoomKind;
  member: number;
}

export function roomAccessStatement(db: D1Database, roomId: string, userId: string) {
  return db
    .prepare(
      `SELECT r.kind, EXISTS (SELECT 1 FROM memberships WHERE room_id = r.id AND user_id = ?2) AS member
       FROM rooms r WHERE r.id = ?1`,
    )
    .bind(roomId, userId);
}

export function toRoomAccess(row: RoomAccessRow | undefined, roomId: string): RoomAccess {
  if (!row) throw new ApiError(404, 'room_not_found', 'No such room');
  const pair = dmMembers(roomId);
  return {
    info: { id: roomId, kind: row.kind, ...(pair && { members: pair }) },
    member: row.member === 1 || row.kind === 'global',
  };
}

/** Refuses a third user a DM, from its id alone; returns the pair for a DM id. */
export function assertDmMember(roomId: string, userId: string): [string, string] | null {
  const pair = dmMembers(roomId);
  if (pair && !pair.includes(userId)) {
    throw new ApiError(403, 'forbidden', 'This conversation is private to its two members');
  }
  return pair;
}

export { roomStub };

export type { UserRef };
