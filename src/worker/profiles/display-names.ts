/**
 * Display names people cannot be told apart by. A display name is shown in place of the
 * username on every message, so one that looks like someone else's display name (or
 * username) would let anyone pass for them ("Carol Danvers" copied by mallory, or written
 * with Cyrillic а and о). Each user's `display_skeleton` is its look-alike key; a new
 * display name, and a new username, must not share one with anybody else's.
 */
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { readStoredProfile } from '../../shared/profile';
import { nameSkeleton } from '../../shared/names';
import type { Db } from '../context';
import * as schema from '../db/schema';

/** What `display_skeleton` holds for a stored profile: '' when there is no display name. */
export function displaySkeletonOf(profile: string | null): string {
  const name = readStoredProfile(profile).displayName;
  return name ? nameSkeleton(name) : '';
}

// D1 binds at most 100 parameters a statement: one batch of updates per round.
const BACKFILL_BATCH = 90;

// Once a read finds none left, none can appear (every insert and profile change writes
// the key), so this isolate skips the read from then on: the name searches call this per
// keystroke of the @ autocomplete.
let complete = false;

/**
 * Rows made before `display_skeleton` existed have null; they are filled here, before any
 * check reads the column, until none is left (then not read again in this isolate).
 */
export async function backfillDisplaySkeletons(db: Db): Promise<void> {
  if (complete) return;
  for (let round = 0; round < 50; round += 1) {
    const missing = await db
      .select({ id: schema.users.id, profile: schema.users.profile })
      .from(schema.users)
      .where(isNull(schema.users.displaySkeleton))
      .limit(BACKFILL_BATCH);
    if (missing.length === 0) {
      complete = true;
      return;
    }
    const updates = missing.map((u) =>
      db
        .update(schema.users)
        .set({ displaySkeleton: displaySkeletonOf(u.profile) })
        .where(and(eq(schema.users.id, u.id), isNull(schema.users.displaySkeleton))),
    );
    await db.batch(updates as [(typeof updates)[number], ...typeof updates]);
  }
}

/**
 * How another user whose display name (or, with `usernames`, whose username) looks like
 * `name` is shown, if there is one; `exceptUserId` is the person choosing it.
 */
export async function lookAlikeOf(
  db: Db,
  name: string,
  exceptUserId: string,
  usernames = true,
): Promise<string | null> {
  await backfillDisplaySkeletons(db);
  const skeleton = nameSkeleton(name);
  const shown = eq(schema.users.displaySkeleton, skeleton);
  const [other] = await db
    .select({
      username: schema.users.username,
      nameSkeleton: schema.users.nameSkeleton,
      profile: schema.users.profile,
    })
    .from(schema.users)
    .where(
      and(
        ne(schema.users.id, exceptUserId),
        isNull(schema.users.deletedAt),
        usernames ? or(eq(schema.users.nameSkeleton, skeleton), shown) : shown,
      ),
    )
    .limit(1);
  if (!other) return null;
  if (other.nameSkeleton === skeleton) return other.username;
  return readStoredProfile(other.profile).displayName ?? other.username;
}
