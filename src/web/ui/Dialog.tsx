/**
 * A modal on the native `<dialog>`: the browser traps focus, closes it on Escape and
 * returns focus to where it was (or near it: restoreFocus).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface DialogProps {
  title: string;
  testId: string;
  onClose: () => void;
  children: ComponentChildren;
}

export function Dialog({ title, testId, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    opener.current = document.activeElement;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const titleId = `${testId}-title`;
  return (
    <dialog
      ref={ref}
      class="dialog"
      data-testid={testId}
      aria-labelledby={titleId}
      onClose={() => {
        restoreFocus(ref.current, opener.current);
        onClose();
      }}
      onClick={(e) => e.target === ref.current && ref.current?.close()}
    >
      <div class="dialog-body">
        <header class="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button
            type="button"
            class="icon-button"
            aria-label="Close"
            onClick={() => ref.current?.close()}
          >
            ×
          </button>
        </header>
        {children}
      </div>
    </dialog>
  );
}

/**
 * The browser gives focus back to what had it before the dialog, unless that cannot take it
 * now (a message's actions are hidden while the message has no focus; it may be gone): then
 * its closest focusable ancestor (the message), else the message list, never <body>.
 */
function restoreFocus(dialog: HTMLDialogElement | null, opener: Element | null) {
  const now = document.activeElement;
  if (now && now !== document.body && !dialog?.contains(now)) return;
  let el = opener?.parentElement?.closest<HTMLElement>('[tabindex]');
  for (; el; el = el.parentElement?.closest<HTMLElement>('[tabindex]')) {
    el.focus();
    if (document.activeElement === el) return;
  }
  document.querySelector<HTMLElement>('[data-testid=message-list]')?.focus();
}
