/**
 * The name search behind Find people (`GET /api/users`) and a chat's member list and @
 * autocomplete (`GET /api/rooms/:id/members`): people whose username or display name starts
 * with what was typed, the name people see being what they type. Display names are matched by
 * their look-alike key (names.ts: case and confusable letters folded), so "al" finds "Al Ice"
 * and "ΑL" (Greek Alpha) too.
 */
import { usernameKey } from '../shared/api';
import { forbiddenCodePoint, nameSkeleton } from '../shared/names';
import type { UserRef } from '../shared/protocol';
import { USER_REF_COLUMNS, userRefOf, type UserRefRow } from '../durable/user-mark';
import type { Db } from './context';
import { backfillDisplaySkeletons } from './profiles/display-names';

/** Whom a search may find besides living users: SQL over `users u`, parameters from `?3`. */
export interface NameSearchScope {
  where: string;
  params: unknown[];
}

/**
 * Up to `limit` people named `typed` at the start, username matches first (a handle typed in
 * full is the one meant), each person once. Two queries, ranges on the username and display
 * look-alike indexes rather than LIKE (which SQLite would not index here) or one OR (which
 * under ORDER BY could walk a whole index in the global room).
 */
export async function searchByName(
  d1: D1Database,
  db: Db,
  typed: string,
  limit: number,
  scope: NameSearchScope,
): Promise<UserRef[]> {
  const startingWith = (column: 'username_key' | 'display_skeleton', key: string) =>
    d1
      .prepare(
        `SELECT ${USER_REF_COLUMNS}
         FROM users u
         WHERE u.${column} >= ?1 AND u.${column} < ?1 || char(1114111) AND u.deleted_at IS NULL
           AND ${scope.where}
         ORDER BY u.${column} LIMIT ?2`,
      )
      .bind(key, limit, ...scope.params);
  const handle = usernameKey(typed);
  const shown = nameSkeleton(typed);
  if (shown) await backfillDisplaySkeletons(db);
  // No username holds a code point `forbiddenCodePoint` finds. The keys of signed-out guests
  // start with one (U+10FFFF, `formerGuestKey`) so that no search lists them: typed, it would.
  const queries = [
    ...(forbiddenCodePoint(handle) ? [] : [startingWith('username_key', handle)]),
    ...(shown ? [startingWith('display_skeleton', shown)] : []),
  ];
  if (queries.length === 0) return [];
  const pages = await d1.batch<UserRefRow>(queries);
  const found = new Map(pages.flatMap((p) => p.results).map((row) => [row.id, row]));
  return [...found.values()].slice(0, limit).map(userRefOf);
}
