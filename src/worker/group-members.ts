/**
 * The people of group DMs as a member sees them: the other members (current names and
 * profiles, a deleted account as "Deleted user"), for the chat list, a chat's facts and
 * search results. One statement for any number of groups.
 */
import { isGroupDm } from '../shared/dm';
import { profileRefFields, shownName } from '../shared/profile';
import type { UserRef } from '../shared/protocol';

interface MemberRow {
  room_id: string;
  id: string;
  username: string;
  color: string;
  is_guest: number;
  profile: string | null;
}

/** For each group among `roomIds`, its members other than `viewer`, by username. */
export async function groupMembers(
  db: D1Database,
  roomIds: string[],
  viewer: string,
): Promise<Map<string, UserRef[]>> {
  const groups = roomIds.filter(isGroupDm);
  const byRoom = new Map<string, UserRef[]>();
  if (groups.length === 0) return byRoom;
  const { results } = await db
    .prepare(
      `SELECT m.room_id, u.id, u.username, u.color, u.is_guest, u.profile
       FROM json_each(?1) AS j JOIN memberships m ON m.room_id = j.value
       JOIN users u ON u.id = m.user_id
       WHERE m.user_id != ?2 ORDER BY m.room_id, u.username_key`,
    )
    .bind(JSON.stringify(groups), viewer)
    .all<MemberRow>();
  for (const r of results) {
    const list = byRoom.get(r.room_id) ?? [];
    list.push({
      id: r.id,
      name: r.username,
      color: r.color,
      guest: r.is_guest === 1,
      ...profileRefFields(r.profile),
    });
    byRoom.set(r.room_id, list);
  }
  return byRoom;
}

/**
 * A group's name where one line of text is wanted: its other members as messages name them
 * (display name, else username), as the client's title does (src/web/chats/dm-names.ts).
 */
export function groupName(members: UserRef[]): string {
  return members.map(shownName).join(', ') || 'Group';
}
