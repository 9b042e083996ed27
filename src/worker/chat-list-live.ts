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
