/** What the Worker tells a Room about itself and the user on each forwarded upgrade. */
import type { RoomKind } from '../shared/api';

export interface RoomInfo {
  id: string;
  kind: RoomKind;
  /** The two members of a DM; activity notices go only to them. */
  members?: [string, string];
}

export const ROOM_INFO_HEADER = 'x-parlor-room';
export const USER_HEADER = 'x-parlor-user';
export const SESSION_HEADER = 'x-parlor-session';
/** The room's moderation state and the user's role, from D1 (durable/moderation.ts). */
export const ROOM_STATE_HEADER = 'x-parlor-room-state';

/** A DM's id, and so its Durable Object's name, derived from the sorted pair of user ids. */
export function dmRoomId(a: string, b: string): string {
  const [first, second] = [a, b].sort();
  return `dm:${first}:${second}`;
}

/** The pair of a DM id, or null if the id is not a DM's. */
export function dmMembers(roomId: string): [string, string] | null {
  const parts = roomId.split(':');
  return parts.length === 3 && parts[0] === 'dm' ? [parts[1]!, parts[2]!] : null;
}

/** A chat's object, named by the chat's id. */
export function roomStub(env: Env, roomId: string) {
  return env.ROOM.get(env.ROOM.idFromName(roomId));
}
