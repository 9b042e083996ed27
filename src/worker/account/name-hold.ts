/**
 * Names given up are held before anyone else may take them (schema `name_holds`): a rename
 * holds the old name, a deleted account its last one, a guest who signed out theirs (see
 * `releaseGuestName`), for NAME_HOLD_DAYS (7). Without the delay, whoever watches a name
 * could take it the moment it is released and be mistaken for its holder by everyone who
 * knew it. The holder may take it back meanwhile.
 */
import { and, eq, gt, ne, or } from 'drizzle-orm';
import { usernameKey } from '../../shared/api';
import type { Db } from '../context';
import { nameHolds } from '../db/schema';
import { nameSkeleton } from '../../shared/names';
import { ApiError } from '../errors';

/** What a guest who signed out is called from then on (`releaseGuestName`). */
export const FORMER_GUEST_NAME = 'Former guest';
/** The same for a widget visitor ended by its site or by switching to a Parlor account. */
export const FORMER_VISITOR_NAME = 'Former visitor';

// A name's look-alike key with only its letters and digits: "Former  guest.", "formerguest",
// "Former_Guest 2" and "Former guest 🙂" all start with the key of "Former guest".
const placeholderKey = (name: string) => nameSkeleton(name).replace(/[^\p{L}\p{N}]/gu, '');
const PLACEHOLDERS = ['Deleted user', FORMER_GUEST_NAME, FORMER_VISITOR_NAME].map(placeholderKey);

/**
 * Whether `name` could pass for what a deleted account, a signed-out guest or an ended visitor
 * is shown as: its look-alike key, without spaces, punctuation or symbols, starts with one of
 * theirs. A prefix, not equality: "Former guest 2" beside "Former guest" reads as one of them.
 */
export function passesForPlaceholder(name: string): boolean {
  const key = placeholderKey(name);
  return PLACEHOLDERS.some((placeholder) => key.startsWith(placeholder));
}

/** 409 `username_taken` for a name `passesForPlaceholder` refuses. */
export function assertNotPlaceholder(name: string, field: string): void {
  if (passesForPlaceholder(name)) {
    throw new ApiError(409, 'username_taken', 'That name is reserved; choose another', field);
  }
}

export function holdMs(env: Env): number {
  const days = Number(env.NAME_HOLD_DAYS ?? 7);
  return (Number.isFinite(days) && days >= 0 ? days : 7) * 24 * 3600 * 1000;
}

/** The statement that holds `name` for `userId` until now + the hold (an upsert). */
export function holdName(db: D1Database, env: Env, userId: string, name: string, now = Date.now()) {
  return db
    .prepare(
      `INSERT INTO name_holds (name_key, name_skeleton, user_id, release_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (name_key, user_id) DO UPDATE SET
         name_skeleton = excluded.name_skeleton, release_at = excluded.release_at`,
    )
    .bind(usernameKey(name), nameSkeleton(name), userId, now + holdMs(env));
}

/**
 * 409 `username_taken` while someone else's hold on this name (or a look-alike of it) runs.
 * The triggers of migration 0010 hold the same rule under races. Display names are checked
 * too (`field`): shown alone on the main screen, one could pass for a held username.
 */
export async function assertNotHeld(
  db: Db,
  name: string,
  exceptUserId = '',
  field: 'username' | 'displayName' = 'username',
): Promise<void> {
  // What a deleted account and a signed-out guest are shown as: nobody may pass for one.
  assertNotPlaceholder(name, field);
  const [held] = await db
    .select({ userId: nameHolds.userId })
    .from(nameHolds)
    .where(
      and(
        or(
          eq(nameHolds.nameKey, usernameKey(name)),
          eq(nameHolds.nameSkeleton, nameSkeleton(name)),
        ),
        ne(nameHolds.userId, exceptUserId),
        gt(nameHolds.releaseAt, Date.now()),
      ),
    )
    .limit(1);
  if (held) {
    throw new ApiError(
      409,
      'username_taken',
      'That name was in use until recently and is held for a few days; choose another',
      field,
    );
  }
}

/**
 * The username key and look-alike key of a signed-out guest: unique, equal to no name's, and
 * starting with U+10FFFF, the end of the ranges the name-prefix searches read (people search,
 * mention autocomplete), so no search lists them.
 */
export const formerGuestKey = (userId: string) => `\u{10FFFF}signed-out:${userId}`;

/** Whether a username key is a signed-out guest's or ended visitor's: nobody to write to. */
export const isFormerGuestKey = (key: string) => key.startsWith(formerGuestKey(''));

/**
 * A guest who signed out can never sign in again (no password; the device no longer leads
 * back), so their name is given up like a renamed one: held for them for the usual delay,
 * then free. Their row, which their messages and DMs point at, is renamed "Former guest" (a
 * widget visitor's "Former visitor") at
 * once (a look-alike key no name can have) and loses its display name and its look-alike key
 * too, so nothing of the old name stays shown where a later holder of it could be taken for
 * them. A site's identified user (`identity_key`) is left alone: the site can sign them in
 * again. The statements change nothing for anyone else (an account, a deleted row), nor for
 * a row `onlyIf` (more SQL conditions on `users`, starting with AND) does not match. The name
 * is held from `now`.
 */
export function releaseGuestName(
  db: D1Database,
  env: Env,
  user: { id: string; username: string },
  now = Date.now(),
  onlyIf = '',
): D1PreparedStatement[] {
  const releasable = `id = ?1 AND is_guest = 1 AND identity_key IS NULL AND deleted_at IS NULL ${onlyIf}`;
  return [
    db
      .prepare(
        `INSERT INTO name_holds (name_key, name_skeleton, user_id, release_at)
         SELECT ?2, ?3, id, ?4 FROM users WHERE ${releasable} AND username_key = ?2
         ON CONFLICT (name_key, user_id) DO UPDATE SET
           name_skeleton = excluded.name_skeleton, release_at = excluded.release_at`,
      )
      .bind(user.id, usernameKey(user.username), nameSkeleton(user.username), now + holdMs(env)),
    db
      .prepare(
        `UPDATE users SET username = CASE WHEN is_visitor = 1 THEN ?4 ELSE ?2 END,
           username_key = ?3, name_skeleton = ?3,
           profile = json_remove(profile, '$.displayName'), display_skeleton = ''
         WHERE ${releasable} RETURNING *`,
      )
      .bind(user.id, FORMER_GUEST_NAME, formerGuestKey(user.id), FORMER_VISITOR_NAME),
  ];
}
