/**
 * The signed-in user's chats, newest activity first, with unread counts kept live from the
 * lobby's activity frames and the open conversation.
 */
import { computed, signal } from '@preact/signals';
import type { ChatListItem } from '../../shared/api';
import type { NotifyLevel } from '../../shared/attention';
import type { ActivityFrame, Message, UserRef } from '../../shared/protocol';
import type { Api } from '../api/endpoints';
import { ApiError } from '../api/http';
import { rowReads } from './row-reads';
import { changesRow, withActivity, withMessage } from './rows';

/** A DM its user closed, with nothing newer since: kept out of the list (`closedAt`). */
export const isClosed = (c: ChatListItem) => c.closedAt !== undefined && c.lastSeq <= c.closedAt;

/** `openId`: the chat on screen, listed even when closed (opened by a link, say). */
export function createChats(api: Api, openId: () => string | null = () => null) {
  const items = signal<ChatListItem[]>([]);
  const loaded = signal(false);
  const error = signal<string | null>(null);
  const sorted = computed(() => {
    const open = openId();
    return items.value
      .filter((c) => !isClosed(c) || c.id === open)
      .sort((a, b) => b.lastActivityAt - a.lastActivityAt);
  });
  const totalUnread = computed(() => items.value.reduce((n, c) => n + c.unread, 0));
  let refreshing: Promise<void> | null = null;

  function update(id: string, change: (chat: ChatListItem) => ChatListItem): boolean {
    let found = false;
    items.value = items.value.map((c) => {
      if (c.id !== id) return c;
      found = true;
      return change(c);
    });
    return found;
  }

  function refresh(): Promise<void> {
    refreshing ??= api
      .chats()
      .then((chats) => {
        items.value = chats;
        error.value = null;
      })
      .catch((err: Error) => {
        error.value = err.message;
      })
      .finally(() => {
        loaded.value = true;
        refreshing = null;
      });
    return refreshing;
  }

  /** Adds or replaces one chat, e.g. a DM just opened or a room just joined. */
  function put(chat: ChatListItem) {
    if (!update(chat.id, () => chat)) items.value = [...items.value, chat];
  }

  /**
   * Reads one chat's row again; gone when it is no longer the user's (left, removed). True,
   * and nothing changed, when the answer is older than the live row (row-reads.ts).
   */
  async function readRow(id: string): Promise<boolean> {
    try {
      const chat = await api.chat(id);
      const live = items.peek().find((c) => c.id === id);
      if (live && live.lastSeq > chat.lastSeq) return true;
      put(chat);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404)
        items.value = items.value.filter((c) => c.id !== id);
    }
    return false;
  }
  const reread = rowReads(readRow);

  function markRead(id: string, seq: number, unreadLeft: number) {
    update(id, (c) => ({
      ...c,
      readSeq: Math.max(c.readSeq, seq),
      unread: unreadLeft,
      mentions: unreadLeft === 0 ? 0 : c.mentions,
    }));
  }

  return {
    items,
    sorted,
    loaded,
    error,
    totalUnread,
    refresh,
    get: (id: string) => items.value.find((c) => c.id === id),
    has: (id: string) => items.value.some((c) => c.id === id),
    put,
    /** Closes a DM: out of the list until a newer message (here and, by the lobby, elsewhere). */
    async close(id: string) {
      put(await api.closeChat(id));
    },
    remove(id: string) {
      items.value = items.value.filter((c) => c.id !== id);
    },
    /**
     * Something happened in a chat. `seen`: the chat is open and visible, so it is not unread.
     * The lobby tells everyone about every public room; only an unknown DM (someone wrote to
     * us first) means the list is stale.
     */
    applyActivity(frame: ActivityFrame, seen: boolean, meId: string) {
      const before = items.peek().find((c) => c.id === frame.roomId);
      update(frame.roomId, (c) => withActivity(c, frame, seen, meId));
      if (!before) {
        if (frame.kind === 'dm') void refresh();
      } else if (!seen && changesRow(before, frame)) {
        // Edits and deletes that can change this row: it is read again, exact
        // (docs/architecture.md).
        void reread(frame.roomId);
      }
    },
    reread,
    /** A message in the open chat arrived (moves the chat to the top) or changed. */
    noteMessage(message: Message) {
      update(message.roomId, (c) => withMessage(c, message));
    },
    /** This user set the chat's notification level (here or in another tab). */
    setLevel(id: string, level: NotifyLevel) {
      update(id, (c) => ({ ...c, notify: level }));
    },
    /** A person's name changed: their DM is named after them. */
    renamed(user: UserRef) {
      items.value = items.value.map((c) =>
        c.peer?.id === user.id ? { ...c, name: user.name, peer: user } : c,
      );
    },
    /**
     * Marks every chat read up to its newest message, two requests at a time; a chat whose
     * request fails keeps its count (and the error says so).
     */
    async readAll() {
      const unread = items.peek().filter((c) => c.unread > 0 || c.mentions > 0);
      const failed: string[] = [];
      const next = async (): Promise<void> => {
        const chat = unread.shift();
        if (!chat) return;
        await api.markRead(chat.id, chat.lastSeq).then(
          () => markRead(chat.id, chat.lastSeq, 0),
          () => failed.push(chat.name),
        );
        return next();
      };
      await Promise.all([next(), next()]);
      error.value = failed.length ? `Could not mark ${failed.join(', ')} as read` : null;
    },
    /** The user has seen up to `seq`; `unreadLeft` messages after it are still unseen. */
    markRead,
  };
}

export type Chats = ReturnType<typeof createChats>;
