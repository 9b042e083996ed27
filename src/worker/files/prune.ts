/**
 * Uploads nobody sent: after UNSENT_TTL_MS an unattached file is deleted, found when its
 * uploader next uploads (a person who uploads nothing more leaves at most a day's allowance
 * of them). Rows go first, each only while still unattached, so a file claimed by a `send`
 * meanwhile keeps its row and its object; the objects of the rows deleted follow.
 */
import { fileKey } from '../../durable/attachments';

const UNSENT_TTL_MS = 24 * 3600 * 1000;
const PER_PASS = 50;

export async function pruneUnsent(env: Env, userId: string, now = Date.now()): Promise<void> {
  const { results } = await env.DB.prepare(
    `DELETE FROM files WHERE id IN (
       SELECT id FROM files WHERE uploader_id = ?1 AND created_at < ?2 AND message_client_id IS NULL
       LIMIT ?3)
     AND message_client_id IS NULL
     RETURNING id, room_id`,
  )
    .bind(userId, now - UNSENT_TTL_MS, PER_PASS)
    .all<{ id: string; room_id: string }>();
  if (results.length > 0) await env.FILES.delete(results.map((r) => fileKey(r.room_id, r.id)));
}
