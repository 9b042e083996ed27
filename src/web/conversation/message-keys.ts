/**
 * The keyboard's way through a message list, listened for on the whole page (the app's
 * shortcuts.ts, the widget) so the first screen's JavaScript does not carry it.
 *
 * The list is one Tab stop, with its own controls (the jump buttons, "Load older
 * messages") after it. Home and End reach the first and the newest item (a message, a
 * notice, a folded run), Up and Down the one before or after. Tab then moves through that
 * item's own controls (a group's first message leads with its author's name) and, past
 * the last, out of the list: a long chat is not hundreds of Tab stops.
 */
const KEYS = ['ArrowUp', 'ArrowDown', 'Home', 'End'];
const ITEM = '[data-testid="message"], li.notice[tabindex]';
const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

export function onMessageListKey(e: KeyboardEvent): void {
  if (e.key === 'Tab') return tabThroughList(e);
  if (!KEYS.includes(e.key) || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  if (!(e.target instanceof HTMLElement)) return;
  const from = e.target;
  const list = from.closest('[data-testid="message-list"]');
  if (!list || from.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(from.tagName)) return;
  const items = [...list.querySelectorAll<HTMLElement>(ITEM)];
  const at = items.indexOf(itemOf(from)!);
  // On the list itself the arrows scroll it, as they would anyway.
  if (at < 0 && e.key.startsWith('Arrow')) return;
  const to =
    e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : at + (e.key === 'ArrowUp' ? -1 : 1);
  const next = items[to];
  if (!next) return;
  e.preventDefault();
  next.focus();
  next.scrollIntoView({ block: 'nearest' });
}

function tabThroughList(e: KeyboardEvent): void {
  if (e.altKey || e.ctrlKey || e.metaKey || !(e.target instanceof HTMLElement)) return;
  const from = e.target;
  const list = from.closest<HTMLElement>('[data-testid="message-list"]');
  if (!list) return;
  const item = itemOf(from);
  const stops = item
    ? [item, ...authorOf(item), ...tabbables(item)]
    : [list, ...tabbables(list).filter((el) => !el.closest('.stream'))];
  const at = stops.indexOf(from);
  // Somewhere this model does not know (a control outside any item): the browser's order.
  if (at < 0) return;
  const next = stops[at + (e.shiftKey ? -1 : 1)];
  if (next) {
    e.preventDefault();
    // From a group's author name into its first message: the message takes focus first, so
    // its toolbar is shown (focus within it) when its button is focused — a hidden one,
    // hidden again the moment the name loses focus, would refuse it.
    if (item && !item.contains(from) && item.contains(next)) item.focus({ preventScroll: true });
    next.focus();
  } else if (e.shiftKey) {
    // Before an item's first stop: back to the list (from the list itself, the browser's).
    if (item) {
      e.preventDefault();
      list.focus();
    }
  } else {
    // Past the last stop: out of the list, to what follows it.
    const after = tabbables(document).find(
      (el) => !list.contains(el) && list.compareDocumentPosition(el) & 4, // FOLLOWING
    );
    if (after) {
      e.preventDefault();
      after.focus();
    }
  }
}

/** The item `from` is in; a group's author name belongs to the group's first message. */
function itemOf(from: HTMLElement): HTMLElement | null {
  if (from.closest('.group-head')) return firstOfGroup(from);
  return from.closest<HTMLElement>(ITEM);
}

function firstOfGroup(el: HTMLElement): HTMLElement | null {
  return el.closest('li.group')?.querySelector<HTMLElement>('[data-testid="message"]') ?? null;
}

function authorOf(item: HTMLElement): HTMLElement[] {
  const head = item.closest('li.group')?.querySelector('.group-head');
  return head && firstOfGroup(item) === item ? tabbables(head) : [];
}

function tabbables(root: ParentNode): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden',
  );
}
