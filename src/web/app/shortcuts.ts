/**
 * The app's keyboard shortcuts (the list is shown by ShortcutsDialog, from the same table).
 * Loaded just after the first screen: no shortcut is needed before something is on it.
 */
import { onMessageListKey } from '../conversation/message-keys';
import type { Store } from './store';

/** What each shortcut does, for the dialog that lists them; `keys` as people read them. */
export const SHORTCUTS: { keys: string[]; does: string }[] = [
  { keys: ['Ctrl+K', '/'], does: 'Search messages' },
  { keys: ['Alt+↑', 'Alt+↓'], does: 'Previous or next chat in the list' },
  { keys: ['Alt+Shift+↑', 'Alt+Shift+↓'], does: 'Previous or next chat with unread messages' },
  { keys: ['Shift+Esc'], does: 'Mark every chat as read' },
  {
    keys: ['Home', 'End', '↑', '↓'],
    does: 'First, newest, previous or next message (in the list); Tab: its controls',
  },
  { keys: ['←', '→'], does: 'Previous or next reaction choice (after React)' },
  { keys: ['↑'], does: 'Edit your last message (in an empty composer)' },
  { keys: ['Esc'], does: 'Close a dialog, cancel a reply or an edit' },
  { keys: ['Ctrl+/', '?'], does: 'This list' },
];

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

/**
 * Listens for the shortcuts; returns the function that stops. `open` opens a dialog. None
 * acts while a dialog has the keyboard, except that Ctrl+K and Ctrl+/ work from anywhere.
 */
export function installShortcuts(store: Store, open: (d: 'search' | 'shortcuts') => void) {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented) return;
    onMessageListKey(e);
    if (e.defaultPrevented) return;
    const ctrl = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    const inDialog = !!document.querySelector('dialog[open]');
    const plain = !ctrl && !e.altKey && !typing(e.target) && !inDialog;
    let act: (() => void) | null = null;
    if ((ctrl && !e.shiftKey && !e.altKey && key === 'k') || (plain && key === '/'))
      act = () => open('search');
    else if ((ctrl && !e.altKey && key === '/') || (plain && key === '?'))
      act = () => open('shortcuts');
    else if (e.key === 'Escape' && e.shiftKey && !inDialog) act = () => void store.chats.readAll();
    else if (e.altKey && !ctrl && !inDialog && (e.key === 'ArrowUp' || e.key === 'ArrowDown'))
      act = () => moveChat(store, e.key === 'ArrowUp' ? -1 : 1, e.shiftKey);
    if (!act) return;
    e.preventDefault();
    act();
  };
  addEventListener('keydown', onKey);
  return () => removeEventListener('keydown', onKey);
}

/** Opens the chat `step` places up or down the list from the open one (an unread one). */
function moveChat(store: Store, step: -1 | 1, unreadOnly: boolean): void {
  const list = store.chats.sorted.peek();
  const open = store.router.roomId.peek();
  const at = list.findIndex((c) => c.id === open);
  for (let i = at + step; i >= 0 && i < list.length; i += step) {
    const chat = list[i]!;
    if (unreadOnly && chat.unread === 0) continue;
    store.router.open(chat.id);
    // The keyboard stays where it was asked from: the composer of the chat it opened.
    requestAnimationFrame(() => document.getElementById('composer-input')?.focus());
    return;
  }
}
