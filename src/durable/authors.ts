/**
 * Authors as they are now, by id, from D1's `users`: a replay shows each message under its
 * author's current name, even for a room the author left before renaming (a room is told of
 * a rename only while the author is a member), so a newcomer who took the freed name never
 * appears on the renamed user's messages. One query per replay, whatever its length.
 */
import { profileRefFields } from '../shared/profile';
import type { UserRef } from '../shared/protocol';
import { markFields } from '../shared/user-mark';
import { userMarkSql } from './user-mark';

export async function currentAuthors(db: D1Database, ids: string[]): Promise<Map<string, UserRef>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT u.id, u.username, u.color, u.is_guest, u.profile, ${userMarkSql('u')} AS mark
       FROM users u WHERE u.id IN (SELECT value FROM json_each(?))`,
    )
    .bind(JSON.stringify(ids))
    .all<{
      id: string;
      username: string;
      color: string;
      is_guest: number;
      profile: string | null;
      mark: string | null;
    }>();
  return new Map(
    results.map((u) => [
      u.id,
      {
        id: u.id,
        name: u.username,
        color: u.color,
        guest: u.is_guest === 1,
        ...markFields(u.mark),
        ...profileRefFields(u.profile),
      },
    ]),
  );
}
