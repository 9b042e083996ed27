/**
 * Catching up in the message list: how many messages from others came in while the reader
 * was scrolled up (the "N new messages" pill), and whether the first unread message (after
 * the read cursor the chat opened with) is above the view or not loaded yet ("Jump to first
 * unread"). Measured from the DOM on scroll and render; the list calls `update`.
 */
import { signal } from '@preact/signals';
import type { Conversation } from './model';

// Older pages loaded at most while looking for the first unread message.
const MAX_PAGES = 20;

export function createCatchUp(conv: Conversation) {
  /** Messages from others newer than the newest one on screen while at the bottom. */
  const newCount = signal(0);
  const unreadAbove = signal(false);
  /** The newest message when the list was last at the bottom (or first shown): older is not new. */
  let seenToSeq: number | null = null;
  /** The divider was on screen once: the reader has been to the first unread. */
  let reachedUnread = false;

  /**
   * Whether the first message after the read cursor is above the view: loaded and scrolled
   * past, or older than every loaded message (the "new messages" line then stands before the
   * oldest loaded one, not the first unread). Once it has been on screen, never again.
   */
  function firstUnreadAbove(list: HTMLElement): boolean {
    if (conv.readSeqAtOpen === 0 || reachedUnread) return false;
    const oldest = conv.messages.peek()[0]?.seq ?? 0;
    if (conv.hasOlder.peek() && oldest > conv.readSeqAtOpen + 1) return true;
    const divider = list.querySelector('[data-testid=unread-divider]');
    if (!divider) return false;
    const above = divider.getBoundingClientRect().bottom < list.getBoundingClientRect().top;
    if (!above) reachedUnread = true;
    return above;
  }

  return {
    newCount,
    unreadAbove,
    update(list: HTMLElement, atBottom: boolean) {
      const messages = conv.messages.peek();
      const newest = messages.at(-1)?.seq ?? null;
      if (atBottom || seenToSeq === null) seenToSeq = newest;
      const since = seenToSeq ?? 0;
      newCount.value = atBottom
        ? 0
        : messages.filter((m) => m.seq > since && m.author.id !== conv.me.id && !m.deleted).length;
      unreadAbove.value = firstUnreadAbove(list);
    },
    /** Loads older pages until the first unread message is in, then shows it at the top. */
    async jumpToUnread(list: HTMLElement) {
      for (let page = 0; page < MAX_PAGES && conv.hasOlder.peek(); page += 1) {
        const oldest = conv.messages.peek()[0]?.seq ?? 0;
        if (oldest <= conv.readSeqAtOpen + 1) break;
        await conv.loadOlder();
      }
      // After the render that puts the loaded pages in.
      requestAnimationFrame(() => {
        const divider = list.querySelector<HTMLElement>('[data-testid=unread-divider]');
        divider?.scrollIntoView({ block: 'start' });
        reachedUnread = true;
        unreadAbove.value = false;
        list.focus({ preventScroll: true });
      });
    },
  };
}
