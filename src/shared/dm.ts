/**
 * Direct messages: a pair or a group of up to 8 people, one chat per set of people. A DM's
 * id is `dm:` and its members' user ids, sorted, joined with `:` (a pair: `dm:<a>:<b>`), so
 * it names one Durable Object per set, and whether someone is a member is read from the id
 * alone, before any lookup. (No zod here: the client's first screen imports this module.)
 */

/** People in a group DM, its creator included. A pair is the smallest DM. */
export const GROUP_DM_MIN_MEMBERS = 3;
export const GROUP_DM_MAX_MEMBERS = 8;

/** The id of the DM of exactly these people (any order, duplicates removed). */
export function dmRoomId(...userIds: string[]): string {
  return `dm:${[...new Set(userIds)].sort().join(':')}`;
}

/**
 * The members named by a DM id, or null for an id that is not a DM's. Any id starting with
 * `dm:` is a DM's: an id that names no real DM yields ids that match no room, so whoever is
 * not named in it is still refused.
 */
export function dmMembers(roomId: string): string[] | null {
  return roomId.startsWith('dm:') ? roomId.slice(3).split(':') : null;
}

/** The other person of a pair's DM, or null for any other chat (or one `me` is not in). */
export function pairPeer(roomId: string, me: string): string | null {
  const members = dmMembers(roomId);
  if (members?.length !== 2 || !members.includes(me)) return null;
  return members[0] === me ? members[1]! : members[0]!;
}

/** A DM of three or more people. */
export function isGroupDm(roomId: string): boolean {
  return (dmMembers(roomId)?.length ?? 0) > 2;
}
