/**
 * Keeps the panel's message list at its newest message, for a reader who is at the bottom,
 * when the list's box or its content changes size by itself. The list follows the messages
 * it renders (conversation/MessageList.tsx); what it does not see:
 *
 * - the loader hides a closed panel (`display: none`), and a frame that is not displayed
 *   lays nothing out: a message that came meanwhile could not scroll the list, so the panel
 *   opened again on older messages, the new ones below the fold;
 * - what appears after the list was placed: the slow-mode line over the composer, the
 *   "Pinned (N)" button in the header, a notice's text loaded late, shrink the view or grow
 *   what it holds, and hid the end of the newest message.
 *
 * The app has the second kind too; moving this into MessageList (the first screen now has
 * room) needs it to yield to the list's own moves — a jump to a permalink or a reply's
 * original, older pages kept in place — which it does not know of: not done yet.
 */

// Closer than this to the bottom counts as at it, as in MessageList.
const EDGE_PX = 48;

/** Starts keeping `list` (a `.message-scroll`) at its bottom; returns the stop. */
export function stayAtBottom(list: HTMLElement): () => void {
  let atBottom = true;
  const onScroll = () => {
    // A list that is not displayed measures nothing: no reader moved it.
    if (list.clientHeight === 0) return;
    atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < EDGE_PX;
  };
  const sizes = new ResizeObserver(() => {
    if (atBottom && list.clientHeight > 0) list.scrollTop = list.scrollHeight;
  });
  // Its own box (the view) and its parts (the older-pages edge, the stream).
  for (const el of [list, ...list.children]) sizes.observe(el);
  list.addEventListener('scroll', onScroll);
  return () => {
    sizes.disconnect();
    list.removeEventListener('scroll', onScroll);
  };
}
