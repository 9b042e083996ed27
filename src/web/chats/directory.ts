/** Public rooms: browse, create, join and leave. Joining puts the room in the chat list. */
import { defaultNotifyLevel } from '../../shared/attention';
import { signal } from '@preact/signals';
import type { ChatListItem, RoomSummary } from '../../shared/api';
import type { Api } from '../api/endpoints';
import { ApiError } from '../api/http';
import type { Chats } from './model';

export function createDirectory(api: Api, chats: Chats, open: (roomId: string) => void) {
  /** The pages loaded so far for `query`, in the server's order. */
  const rooms = signal<readonly RoomSummary[]>([]);
  const query = signal('');
  /** Where the next page starts; null once the last page is in. */
  const nextCursor = signal<string | null>(null);
  const loading = signal(false);
  const error = signal<string | null>(null);
  /** Bumped by every new search, so an answer to an older one is dropped. */
  let generation = 0;

  async function enter(room: RoomSummary) {
    chats.put(asChat(room, chats.get(room.id)));
    open(room.id);
    // The list row from the server has the real counts and preview.
    void chats.refresh();
  }

  async function fetchPage(cursor: string | null) {
    const mine = ++generation;
    loading.value = true;
    try {
      const q = query.peek().trim();
      const page = await api.rooms({ q: q || undefined, cursor });
      if (mine !== generation) return;
      rooms.value = cursor ? [...rooms.peek(), ...page.rooms] : page.rooms;
      nextCursor.value = page.nextCursor;
      error.value = null;
    } catch (err) {
      if (mine === generation) {
        error.value = err instanceof Error ? err.message : 'Could not load rooms';
      }
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  return {
    rooms,
    query,
    nextCursor,
    loading,
    error,
    /** The first page for `q` (the server searches names; everything when empty). */
    search(q: string) {
      query.value = q;
      return fetchPage(null);
    },
    load() {
      return fetchPage(null);
    },
    /** The page after the ones shown, for the same search. */
    more() {
      const cursor = nextCursor.peek();
      return cursor && !loading.peek() ? fetchPage(cursor) : Promise.resolve();
    },
    /** Creates a room; resolves to the field errors to show, empty when it worked. */
    async create(
      name: string,
      topic: string,
      isPrivate = false,
    ): Promise<Partial<Record<'name' | 'topic' | 'form', string>>> {
      try {
        const room = { name, topic: topic.trim() || undefined, private: isPrivate || undefined };
        await enter(await api.createRoom(room));
        return {};
      } catch (err) {
        if (!(err instanceof ApiError)) return { form: 'Could not create the room' };
        if (err.code === 'room_name_taken') return { name: err.message };
        if (err.field === 'name' || err.field === 'topic') return { [err.field]: err.message };
        return { form: err.message };
      }
    },
    /** Joins a public room and opens it; false if that failed. */
    async join(id: string): Promise<boolean> {
      try {
        await api.joinRoom(id);
        const room = rooms.value.find((r) => r.id === id);
        rooms.value = rooms.value.map((r) =>
          r.id === id ? { ...r, member: true, memberCount: r.memberCount + 1 } : r,
        );
        if (room) await enter({ ...room, member: true });
        else await chats.refresh().then(() => open(id));
        return true;
      } catch (err) {
        error.value = err instanceof Error ? err.message : 'Could not join';
        return false;
      }
    },
    async leave(id: string) {
      await api.leaveRoom(id);
      chats.remove(id);
      rooms.value = rooms.value.map((r) => (r.id === id ? { ...r, member: false } : r));
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;

function asChat(room: RoomSummary, existing?: ChatListItem): ChatListItem {
  return (
    existing ?? {
      id: room.id,
      kind: room.kind,
      name: room.name,
      topic: room.topic,
      ...(room.description && { description: room.description }),
      peer: null,
      mentions: 0,
      notify: defaultNotifyLevel(room.kind),
      lastSeq: 0,
      readSeq: 0,
      unread: 0,
      lastActivityAt: room.lastActivityAt,
      last: null,
    }
  );
}
