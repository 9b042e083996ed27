/**
 * A guest's name is given up when they sign out (`releaseGuestName`). One who never signs out
 * but whose every session has run out (a guest's lasts a year, a widget visitor's 30 days;
 * neither is renewed) cannot come back either: a guest has no password, a visitor nothing but
 * its token, and the device cookie that leads a browser back to its guest lasts as long as the
 * first session. Such a name would stay out of use forever, so it is released the same way,
 * at the moment someone goes to claim it (a name check finds it taken by such a guest), held
 * from the end of the guest's last session. No cron: nothing but a claim needs the name.
 */
import { eq } from 'drizzle-orm';
import { usernameKey } from '../../shared/api';
import { nameSkeleton } from '../../shared/names';
import { announceRename } from '../auth/rename';
import { GUEST_SESSION_SECONDS, VISITOR_SESSION_SECONDS } from '../auth/session';
import type { Db } from '../context';
import * as schema from '../db/schema';
import { backfillDisplaySkeletons } from '../profiles/display-names';
import { releaseGuestName } from './name-hold';

// The database's clock (ms), as migration 0011's triggers read it: no request says what time it is.
const NOW_MS = `CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`;
const TERM_MS = `(CASE WHEN users.is_visitor = 1 THEN ${VISITOR_SESSION_SECONDS * 1000} ELSE ${GUEST_SESSION_SECONDS * 1000} END)`;

// In SQL over `users`: a user not yet released (`formerGuestKey` starts with U+10FFFF) whose
// first session's term (and the device cookie's) is over, who has had a session and has no
// live one left. A user without any session is one whose first is still being written
// (createUser, then startSession), or a row no session ever led to: neither has expired.
const EXPIRED = `AND substr(users.username_key, 1, 1) != char(1114111)
  AND users.created_at + ${TERM_MS} <= ${NOW_MS}
  AND EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = users.id)
  AND NOT EXISTS (SELECT 1 FROM sessions s
    WHERE s.user_id = users.id AND s.revoked_at IS NULL AND s.expires_at > ${NOW_MS})`;

/**
 * Releases the name of every expired guest whose username, username look-alike or display
 * name look-alike is `name`'s, so the checks that follow see it free (or held, if the guest's
 * last session ended less than a hold ago). Each release is one batch that repeats the test,
 * so a guest who came back meanwhile, or a parallel release, changes nothing.
 */
export async function releaseExpiredHolders(env: Env, db: Db, name: string): Promise<void> {
  await backfillDisplaySkeletons(db);
  // '' is the display look-alike key of everyone without a display name: never a match.
  const { results } = await env.DB.prepare(
    `SELECT users.id, users.username, max(users.created_at + ${TERM_MS},
       coalesce((SELECT max(s.expires_at) FROM sessions s WHERE s.user_id = users.id), 0)) AS ended_at
     FROM users
     WHERE (users.username_key = ?1 OR users.name_skeleton = ?2 OR (users.display_skeleton = ?2 AND ?2 != ''))
       AND users.is_guest = 1 AND users.identity_key IS NULL AND users.deleted_at IS NULL ${EXPIRED}`,
  )
    .bind(usernameKey(name), nameSkeleton(name))
    .all<{ id: string; username: string; ended_at: number }>();
  for (const guest of results) {
    const [, , released] = await env.DB.batch([
      env.DB.prepare(
        `UPDATE users SET guest_device_hash = NULL WHERE id = ?1 AND is_guest = 1 ${EXPIRED}`,
      ).bind(guest.id),
      ...releaseGuestName(env.DB, env, guest, guest.ended_at, EXPIRED),
    ]);
    if (!released?.results.length) continue;
    const renamed = await db.query.users.findFirst({ where: eq(schema.users.id, guest.id) });
    if (renamed) await announceRename(env, db, renamed);
  }
}
