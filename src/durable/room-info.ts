/** What the Worker tells a Room about itself and the user on each forwarded upgrade. */
import type { RoomKind } from '../shared/api';

export interface RoomInfo {
  id: string;
  kind: RoomKind;
  /** The members of a DM (a pair or a group); activity notices go only to them. */
  members?: string[];
}

export const ROOM_INFO_HEADER = 'x-parlor-room';
export const USER_HEADER = 'x-parlor-user';
export const SESSION_HEADER = 'x-parlor-session';
/** The room's moderation state and the user's role, from D1 (durable/moderation.ts). */
export const ROOM_STATE_HEADER = 'x-parlor-room-state';

export { dmMembers, dmRoomId, isGroupDm } from '../shared/dm';

/** A chat's object, named by the chat's id. */
export function roomStub(env: Env, roomId: string) {
  return env.ROOM.get(env.ROOM.idFromName(roomId));
}
