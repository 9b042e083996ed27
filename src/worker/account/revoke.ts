/** Ending sessions: the rows revoked, then their sockets closed in every chat and the hub. */
import { closeSessionSockets } from '../auth';
import type { Db } from '../context';

/**
 * Revokes a user's live sessions (all, or all but `except`, or only `only`) and closes their
 * sockets, as logout does. Returns how many ended.
 */
export async function endSessions(
  env: Env,
  db: Db,
  userId: string,
  which: { except?: string; only?: string } = {},
): Promise<number> {
  const now = Date.now();
  const { results } = await env.DB.prepare(
    `UPDATE sessions SET revoked_at = ?2
     WHERE user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2
       AND (?3 IS NULL OR id != ?3) AND (?4 IS NULL OR id = ?4)
     RETURNING id`,
  )
    .bind(userId, now, which.except ?? null, which.only ?? null)
    .all<{ id: string }>();
  const ids = results.map((r) => r.id);
  if (ids.length > 0) await closeSessionSockets(env, db, userId, ids);
  return ids.length;
}
