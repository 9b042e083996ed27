/** The tab title's unread count, by each chat's notification level. */
import type { ChatListItem } from '../../shared/api';

/**
 * What the tab title counts: every unread message of chats at `all`, only the unread
 * mentions of chats at `mentions`, nothing of muted ones.
 */
export function loudUnread(chats: readonly ChatListItem[]): { count: number; mentioned: boolean } {
  let count = 0;
  let mentioned = false;
  for (const c of chats) {
    if (c.notify === 'none') continue;
    count += c.notify === 'all' ? c.unread : c.mentions;
    if (c.mentions > 0) mentioned = true;
  }
  return { count, mentioned };
}
