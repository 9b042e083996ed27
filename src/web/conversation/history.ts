/**
 * Loading a chat's history over HTTP: the latest page on open (and again after a resync),
 * older pages as the reader scrolls up. Never the whole room: 10,000 messages cost one page.
 */
import { batch, computed, signal } from '@preact/signals';
import type { Api } from '../api/endpoints';
import { ApiError } from '../api/http';
import type { NoticeEvent } from '../../shared/moderation';
import type { Timeline } from './timeline';

export const PAGE_SIZE = 50;

/** `onNotices`: a page's joins, leaves and moderation notices (`fresh`: a latest page). */
export function createHistory(
  api: Api,
  roomId: string,
  timeline: Timeline,
  onNotices: (notices: NoticeEvent[], fresh: boolean) => void = () => {},
) {
  const state = signal<'loading' | 'ready' | 'error'>('loading');
  const error = signal<{ code: string; message: string } | null>(null);
  const nextBefore = signal<number | null>(null);
  const loadingOlder = signal(false);
  let disposed = false;

  /** The latest page, replacing whatever was loaded. */
  async function latest(): Promise<void> {
    const page = await api.history(roomId, PAGE_SIZE);
    if (disposed) return;
    batch(() => {
      timeline.reset(page.messages, page.roomSeq);
      onNotices(page.notices ?? [], true);
      nextBefore.value = page.nextBefore;
      state.value = 'ready';
    });
  }

  return {
    state,
    error,
    loadingOlder,
    hasOlder: computed(() => nextBefore.value !== null),
    async open() {
      try {
        await latest();
      } catch (err) {
        // Already explained (a ban, found by the room's description): keep that.
        if (disposed || state.peek() === 'error') return;
        state.value = 'error';
        error.value =
          err instanceof ApiError
            ? { code: err.code, message: err.message }
            : { code: 'internal', message: 'Could not open this chat' };
      }
    },
    /** The room could not replay our gap: start again from the latest page. */
    async resync() {
      // On failure keep what we have; live events still apply on top.
      await latest().catch(() => undefined);
    },
    /** The page before the oldest loaded; rejects with the reason it failed. */
    async older() {
      const before = nextBefore.value;
      if (before === null || loadingOlder.value) return;
      loadingOlder.value = true;
      try {
        const page = await api.history(roomId, PAGE_SIZE, before);
        if (disposed) return;
        batch(() => {
          timeline.addPage(page.messages);
          onNotices(page.notices ?? [], false);
          nextBefore.value = page.nextBefore;
        });
      } finally {
        loadingOlder.value = false;
      }
    },
    dispose() {
      disposed = true;
    },
  };
}
