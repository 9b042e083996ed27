import { profileRefFields } from '../shared/profile';
import type { UserRef } from '../shared/protocol';
import { markFields } from '../shared/user-mark';

/**
 * A widget user's mark (visitor or identified, and their site) as one SQL column, so every
 * query that builds a `UserRef` from `users` reads one more column and passes it to
 * `markFields` (src/shared/user-ref.ts). Null for Parlor's own accounts and guests.
 */
export function userMarkSql(alias: string): string {
  return `CASE WHEN ${alias}.is_visitor = 1 THEN json_object(
    'kind', CASE WHEN ${alias}.identity_key IS NULL THEN 'visitor' ELSE 'identified' END,
    'site', ${alias}.visitor_site) END`;
}

/**
 * A user's name as messages show it (`shownName`: display name, else username) in SQL, for
 * the places that name a chat after its people in one string.
 */
export function shownNameSql(alias: string): string {
  return `coalesce(nullif(${alias}.profile ->> '$.displayName', ''), ${alias}.username)`;
}

/** The columns of `users` (as `u`) a whole `UserRef` is made of: read with `userRefOf`. */
export const USER_REF_COLUMNS = `u.id, u.username, u.color, u.is_guest, u.profile, ${userMarkSql('u')} AS mark`;

export interface UserRefRow {
  id: string;
  username: string;
  color: string;
  is_guest: number;
  profile: string | null;
  mark: string | null;
}

/** A row read with USER_REF_COLUMNS as the user reference every frame and answer carries. */
export function userRefOf(u: UserRefRow): UserRef {
  return {
    id: u.id,
    name: u.username,
    color: u.color,
    guest: u.is_guest === 1,
    ...markFields(u.mark),
    ...profileRefFields(u.profile),
  };
}
