/**
 * The signed-in user's attention settings on this client: "do not disturb" (kept on the
 * server, so every tab and device agrees) and each chat's notification level (carried by
 * the chat list). Decides whether an activity notice rings; unread counts never depend on it.
 */
import { computed, signal } from '@preact/signals';
import { rings, type NotifyLevel } from '../../shared/attention';
import type { ActivityFrame } from '../../shared/protocol';
import type { Api } from '../api/endpoints';
import type { Chats } from '../chats/model';

export function createAttention(api: Api, chats: Chats) {
  const dndUntil = signal<number | null>(null);
  /** Ticks when DND ends, so what shows it re-renders without a poll. */
  const now = signal(Date.now());
  let expiry: ReturnType<typeof setTimeout> | undefined;
  const dndOn = computed(() => dndUntil.value !== null && dndUntil.value > now.value);
  const problem = signal<string | null>(null);

  function showDnd(until: number | null) {
    dndUntil.value = until;
    now.value = Date.now();
    clearTimeout(expiry);
    // setTimeout's delay is a signed 32-bit number of ms (about 24.8 days): wake up by then.
    if (until !== null && until > now.value)
      expiry = setTimeout(() => showDnd(dndUntil.peek()), Math.min(until - now.value, 2 ** 31 - 1));
  }

  return {
    dndUntil,
    dndOn,
    problem,
    async load() {
      try {
        showDnd(await api.dnd());
      } catch {
        // Unknown until the lobby or a later load says: notices still carry `alert`.
      }
    },
    async setDnd(until: number | null) {
      try {
        showDnd(await api.setDnd(until));
        problem.value = null;
      } catch (err) {
        problem.value = err instanceof Error ? err.message : 'Could not change do not disturb';
      }
    },
    async setLevel(roomId: string, level: NotifyLevel) {
      try {
        const saved = await api.setNotifyLevel(roomId, level);
        chats.setLevel(roomId, saved.level);
        problem.value = null;
      } catch (err) {
        problem.value = err instanceof Error ? err.message : 'Could not change notifications';
      }
    },
    /** A lobby frame: this user changed DND in another tab. */
    dndChanged: showDnd,
    /**
     * Whether a notice rings here: the hub's `alert` (the reader's level, mentions and DND
     * as the server knows them), and DND as this tab knows it, which may be newer.
     */
    rings(frame: ActivityFrame, meId: string): boolean {
      if (dndOn.peek()) return false;
      if (frame.alert !== undefined) return frame.alert;
      const level = chats.get(frame.roomId)?.notify ?? (frame.kind === 'dm' ? 'all' : 'mentions');
      const mentioned = (frame.mentioned ?? []).includes(meId);
      return frame.last?.author.id !== meId && rings(level, mentioned, null, Date.now());
    },
    dispose() {
      clearTimeout(expiry);
      dndUntil.value = null;
    },
  };
}

export type Attention = ReturnType<typeof createAttention>;
