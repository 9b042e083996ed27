/**
 * Authors as they are now, by id, from D1's `users`: a replay shows each message under its
 * author's current name, even for a room the author left before renaming (a room is told of
 * a rename only while the author is a member), so a newcomer who took the freed name never
 * appears on the renamed user's messages. One query per replay, whatever its length.
 */
import type { UserRef } from '../shared/protocol';
import { USER_REF_COLUMNS, userRefOf, type UserRefRow } from './user-mark';

export async function currentAuthors(db: D1Database, ids: string[]): Promise<Map<string, UserRef>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT ${USER_REF_COLUMNS} FROM users u WHERE u.id IN (SELECT value FROM json_each(?))`,
    )
    .bind(JSON.stringify(ids))
    .all<UserRefRow>();
  return new Map(results.map((u) => [u.id, userRefOf(u)]));
}
