/**
 * Changing a profile: one row update, then — when what others see changed — the new
 * `UserRef` goes to every chat of the user and their hub shard (the rename path), so open
 * rooms, people panels and DM lists show it live.
 */
import { eq } from 'drizzle-orm';
import { readStoredProfile, type ProfileBody, type StoredProfile } from '../../shared/profile';
import { toUserRef } from '../accounts';
import { announceRename } from '../auth/rename';
import { displaySkeletonOf } from './display-names';
import type { Db, UserRow } from '../context';
import * as schema from '../db/schema';
import { spendOrThrow, type Bucket } from '../rate-buckets';

/**
 * Profile changes per user: 30 at once, then one every 10 s. Each one that others can see
 * reaches every chat the user is in, so this caps that fan-out; an idle client flips
 * away/active at most every few minutes.
 */
export const PROFILE_CHANGES: Bucket = { burst: 30, perSecond: 1 / 10 };

export interface ProfileChange {
  profile?: (stored: StoredProfile) => StoredProfile;
  timeZone?: string | null;
  readReceipts?: boolean;
}

/** The stored profile after a `PATCH /api/me/profile` body (fields left out stay as they are). */
export function applyBody(stored: StoredProfile, body: ProfileBody, now = Date.now()) {
  const next: StoredProfile = { ...stored };
  if (body.displayName !== undefined) {
    if (body.displayName) next.displayName = body.displayName;
    else delete next.displayName;
  }
  if (body.status !== undefined) {
    const s = body.status;
    if (!s || (!s.text && !s.emoji)) delete next.status;
    else
      next.status = {
        text: s.text,
        emoji: s.emoji ?? null,
        until: s.minutes ? now + s.minutes * 60_000 : null,
      };
  }
  if (body.dnd !== undefined) {
    if (body.dnd) next.dnd = true;
    else delete next.dnd;
  }
  if (body.avatar === null) delete next.avatar;
  return next;
}

/** Saves a change (after the rate limit) and announces it if others see a difference. */
export async function changeProfile(
  env: Env,
  db: Db,
  user: UserRow,
  change: ProfileChange,
): Promise<UserRow> {
  await spendOrThrow(env.DB, `profile:${user.id}`, PROFILE_CHANGES, 'Too many profile changes');
  const stored = readStoredProfile(user.profile);
  const next = change.profile ? change.profile(stored) : stored;
  const json = Object.keys(next).length ? JSON.stringify(next) : null;
  const [saved] = await db
    .update(schema.users)
    .set({
      profile: json,
      // Only a new display name changes its look-alike key (away/active reports do not).
      ...(next.displayName !== stored.displayName && { displaySkeleton: displaySkeletonOf(json) }),
      ...(change.timeZone !== undefined && { timeZone: change.timeZone }),
      ...(change.readReceipts !== undefined && { readReceipts: change.readReceipts }),
    })
    .where(eq(schema.users.id, user.id))
    .returning();
  const before = JSON.stringify(toUserRef(user));
  if (JSON.stringify(toUserRef(saved!)) !== before) await announceRename(env, db, saved!);
  return saved!;
}
