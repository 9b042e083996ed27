/**
 * The user's own read cursor, moved in one tab, reaches their other tabs through their hub
 * shard (a `chat` lobby frame; they read their list again), so every tab's unread counts agree with /api/chats.
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

/** Opening a DM puts it back in its opener's list (a no-op when it was not closed). */
export async function reopenChat(db: D1Database, roomId: string, userId: string): Promise<void> {
  await db
    .prepare(
      `UPDATE memberships SET hidden_seq = NULL
       WHERE room_id = ?1 AND user_id = ?2 AND hidden_seq IS NOT NULL`,
    )
    .bind(roomId, userId)
    .run();
}
