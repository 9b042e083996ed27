/**
 * Changes to the user's own row of a chat (their read cursor, a DM closed or opened again)
 * reach their other tabs through their hub shard (a `chat` lobby frame; they read the row
 * again), so every tab's list agrees with /api/chats.
 */
import { hubOf } from '../durable/hub-shards';

export async function readMovedInTabs(env: Env, userId: string, roomId: string): Promise<void> {
  try {
    await hubOf(env, userId).readMoved(userId, roomId);
  } catch (err) {
    // The cursor is saved; the other tabs are exact again at their next /api/chats.
    console.error('read cursor not told to other tabs', err);
  }
}

/**
 * Opening a closed DM puts it back in its opener's list, and tells their other tabs (a no-op
 * when it was not closed).
 */
export async function reopenChat(env: Env, roomId: string, userId: string): Promise<void> {
  const reopened = await env.DB.prepare(
    `UPDATE memberships SET hidden_seq = NULL
     WHERE room_id = ?1 AND user_id = ?2 AND hidden_seq IS NOT NULL
     RETURNING room_id`,
  )
    .bind(roomId, userId)
    .first();
  if (reopened) await readMovedInTabs(env, userId, roomId);
}
