/**
 * The search shortcuts: Ctrl+K (Cmd+K on a Mac) anywhere, and `/` when the keyboard is not
 * in a text field (where `/` is something to type).
 */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

/** Calls `open` on either shortcut; returns the function that stops listening. */
export function listenForSearchShortcut(open: () => void): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey) return;
    const ctrlK = (e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'k';
    const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !typing(e.target);
    if (!ctrlK && !slash) return;
    e.preventDefault();
    open();
  };
  addEventListener('keydown', onKey);
  return () => removeEventListener('keydown', onKey);
}
