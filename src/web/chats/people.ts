/** Finding people by name and opening a direct chat with one of them, or a group with several. */
import { signal } from '@preact/signals';
import type { UserRef } from '../../shared/protocol';
import type { ChatListItem } from '../../shared/api';
import type { Api } from '../api/endpoints';
import type { Chats } from './model';

const SEARCH_DELAY_MS = 200;

export function createPeopleSearch(api: Api, chats: Chats, open: (roomId: string) => void) {
  const query = signal('');
  const results = signal<readonly UserRef[]>([]);
  const searching = signal(false);
  const error = signal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  async function search(prefix: string) {
    const ticket = ++latest;
    searching.value = true;
    try {
      const users = await api.users(prefix);
      // An older, slower answer must not overwrite a newer one.
      if (ticket === latest) results.value = users;
      error.value = null;
    } catch (err) {
      if (ticket === latest) error.value = err instanceof Error ? err.message : 'Search failed';
    } finally {
      if (ticket === latest) searching.value = false;
    }
  }

  async function opened(chat: Promise<ChatListItem>, failed: string): Promise<boolean> {
    try {
      const c = await chat;
      // The live row keeps its counts; whether it is closed is the answer's (opening reopens).
      const known = chats.get(c.id);
      chats.put(known ? { ...known, closedAt: c.closedAt } : c);
      open(c.id);
      return true;
    } catch (err) {
      error.value = err instanceof Error ? err.message : failed;
      return false;
    }
  }

  return {
    query,
    results,
    searching,
    error,
    /** Opens (creating once) the group DM with these 2–7 people; false if that failed. */
    openGroup(userIds: string[]): Promise<boolean> {
      return opened(api.openGroupDm(userIds), 'Could not start the group');
    },
    setQuery(text: string) {
      query.value = text;
      clearTimeout(timer);
      const prefix = text.trim().slice(0, 32);
      if (!prefix) {
        latest++;
        results.value = [];
        return;
      }
      timer = setTimeout(() => void search(prefix), SEARCH_DELAY_MS);
    },
    /** Opens (creating if need be) the direct chat with a user; false if that failed. */
    async openDm(userId: string): Promise<boolean> {
      return opened(api.openDm(userId), 'Could not open the chat');
    },
  };
}

export type PeopleSearch = ReturnType<typeof createPeopleSearch>;
