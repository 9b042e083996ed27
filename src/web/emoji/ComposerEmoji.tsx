/** Emoji insertion at the composer's caret (the `:ta` list is ui/CompletionList.tsx). */
import type { Signal } from '@preact/signals';

/** Puts `text` at the caret of the box `inputId` (whose value is `draft`), caret after it. */
export function insertAtCaret(draft: Signal<string>, inputId: string, text: string): void {
  const input = document.getElementById(inputId) as HTMLTextAreaElement | null;
  const value = draft.peek();
  const at = input ? input.selectionStart : value.length;
  const end = input ? input.selectionEnd : value.length;
  draft.value = value.slice(0, at) + text + value.slice(end);
  requestAnimationFrame(() => {
    input?.focus();
    input?.setSelectionRange(at + text.length, at + text.length);
  });
}
