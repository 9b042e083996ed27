/**
 * A button that opens a small panel under it (a chat's notification level, do not disturb):
 * Escape or a click elsewhere closes it and focus returns to the button.
 */
import type { ComponentChildren } from 'preact';
import { useSignal } from '@preact/signals';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { keepInView } from '../ui/keep-in-view';

interface PopoverProps {
  label: string;
  /** What the button shows (its accessible name is `label`). */
  face: ComponentChildren;
  testId: string;
  class?: string;
  children: (close: () => void) => ComponentChildren;
}

export function Popover({ label, face, testId, children, class: cls }: PopoverProps) {
  const open = useSignal(false);
  const root = useRef<HTMLSpanElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const close = () => {
    open.value = false;
    button.current?.focus();
  };
  useLayoutEffect(() => {
    if (open.value) keepInView(panel.current);
  }, [open.value]);
  useEffect(() => {
    if (!open.value) return;
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) open.value = false;
    };
    document.addEventListener('pointerdown', outside);
    // The panel's first control takes focus, so the keyboard is where the choices are.
    root.current?.querySelector<HTMLElement>('[data-autofocus], input, button.choice')?.focus();
    return () => document.removeEventListener('pointerdown', outside);
  }, [open.value]);
  const panelId = `${testId}-panel`;
  return (
    <span
      class={`popover ${cls ?? ''}`}
      ref={root}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open.value) {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        type="button"
        ref={button}
        class="link-button"
        data-testid={testId}
        aria-label={label}
        aria-expanded={open.value}
        aria-controls={panelId}
        onClick={() => (open.value = !open.value)}
      >
        {face}
      </button>
      {open.value && (
        <div class="popover-panel" id={panelId} data-testid={panelId} ref={panel}>
          {children(close)}
        </div>
      )}
    </span>
  );
}
