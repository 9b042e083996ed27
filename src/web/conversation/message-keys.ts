/**
 * The keyboard's way through a message list (Tab passes it in one step: a message's buttons
 * are hidden until it is focused): Home and End reach the first and the newest loaded
 * message from the list or a message; Up and Down move from a message (or a control in it)
 * to the one before or after. Listened for on the whole page (the app's shortcuts.ts, the
 * widget), so the first screen's JavaScript does not carry it.
 */
const KEYS = ['ArrowUp', 'ArrowDown', 'Home', 'End'];

export function moveBetweenMessages(e: KeyboardEvent): void {
  if (!KEYS.includes(e.key) || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  if (!(e.target instanceof HTMLElement)) return;
  const from = e.target;
  const list = from.closest('[data-testid="message-list"]');
  if (!list || from.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(from.tagName)) return;
  const messages = [...list.querySelectorAll<HTMLElement>('[data-testid="message"]')];
  const at = messages.indexOf(from.closest<HTMLElement>('[data-testid="message"]')!);
  // On the list itself the arrows scroll it, as they would anyway.
  if (at < 0 && e.key.startsWith('Arrow')) return;
  const to =
    e.key === 'Home'
      ? 0
      : e.key === 'End'
        ? messages.length - 1
        : at + (e.key === 'ArrowUp' ? -1 : 1);
  const next = messages[to];
  if (!next) return;
  e.preventDefault();
  next.focus();
  next.scrollIntoView({ block: 'nearest' });
}
