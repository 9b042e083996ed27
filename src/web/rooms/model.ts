/**
 * A room's ownership and moderation state as the open chat needs it (issue 12): the viewer's
 * role, archive and slow mode, and when the viewer may send again. Fetched on open and
 * again after every moderation notice, so every tab converges on the room's own order.
 */
import { computed, signal } from '@preact/signals';
import { ApiError } from '../api/http';
import { MODERATION_NOTICES, type RoomAdmin, type RoomNotice } from '../../shared/moderation';
import { roomAdminResponse } from '../../shared/moderation-responses';
import type { Api } from '../api/endpoints';

const MODERATION: ReadonlySet<string> = new Set(MODERATION_NOTICES);

export function createRoomState(api: Api, roomId: string, meId: string) {
  const admin = signal<RoomAdmin | null>(null);
  /** When the viewer's slow-mode interval ends (ms since epoch); 0 when free to send. */
  const sendableAt = signal(0);
  const isDm = roomId.startsWith('dm:');

  async function refresh(): Promise<void> {
    if (isDm) return;
    try {
      const path = `/api/rooms/${encodeURIComponent(roomId)}/admin`;
      admin.value = (await api.get(path, roomAdminResponse)).room;
    } catch (err) {
      // Not readable (removed, banned, the room gone; a visitor of a private room is refused
      // earlier): no moderation tools, and an open settings dialog closes.
      if (err instanceof ApiError && (err.status === 403 || err.status === 404)) admin.value = null;
    }
  }
  void refresh();

  const moderates = computed(
    () => admin.value?.role === 'owner' || admin.value?.role === 'moderator',
  );
  const slowModeSeconds = computed(() => admin.value?.slowModeSeconds ?? 0);

  return {
    admin,
    /** For the settings dialog's admin calls (rooms/api.ts, loaded with it). */
    baseApi: api,
    roomId,
    /** Owner or moderator: may remove messages and open the room's settings. */
    moderates,
    /** The owner removes anyone's message; a moderator only a member's (the room rules so). */
    mayRemove(authorId: string): boolean {
      const a = admin.value;
      if (a?.role === 'owner') return true;
      return (
        a?.role === 'moderator' &&
        a.owner?.id !== authorId &&
        !a.moderators.some((m) => m.id === authorId)
      );
    },
    isOwner: computed(() => admin.value?.role === 'owner'),
    archived: computed(() => admin.value?.archived ?? false),
    slowModeSeconds,
    sendableAt,
    refresh,
    /** A notice in the room's order: a moderation action may change what we know (true). */
    noticed(notice: RoomNotice) {
      if (!MODERATION.has(notice.kind) || notice.kind === 'message_removed') return false;
      void refresh();
      return true;
    },
    /** The viewer sent a message: under slow mode the next waits its interval. */
    sent() {
      const seconds = slowModeSeconds.peek();
      if (seconds > 0 && !moderates.peek()) sendableAt.value = Date.now() + seconds * 1000;
    },
    /** The room refused a send for slow mode: wait what it says. */
    mustWait(ms: number) {
      sendableAt.value = Date.now() + ms;
    },
    meId,
  };
}

export type RoomState = ReturnType<typeof createRoomState>;
