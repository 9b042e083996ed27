/**
 * Names given up are held before anyone else may take them (schema `name_holds`): a rename
 * holds the old name, a deleted account its last one, for NAME_HOLD_DAYS (7). Without the
 * delay, whoever watches a name could take it the moment it is released and be mistaken for
 * its holder by everyone who knew it. The holder may take it back meanwhile.
 */
import { and, eq, gt, ne, or } from 'drizzle-orm';
import { usernameKey } from '../../shared/api';
import type { Db } from '../context';
import { nameHolds } from '../db/schema';
import { nameSkeleton } from '../../shared/names';
import { ApiError } from '../errors';

// Separators folded to one space first, so `Deleted_user` and `deleted.user` are it too.
const reservedKey = (name: string) => nameSkeleton(name.replace(/[\s_.-]+/gu, ' '));
const RESERVED = reservedKey('Deleted user');

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
  // What a deleted account is shown as (account/delete.ts): nobody may pass for one.
  if (reservedKey(name) === RESERVED) {
    throw new ApiError(409, 'username_taken', 'That name is reserved; choose another', field);
  }
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
