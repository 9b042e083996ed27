/** The composer's `:ta` completions (a listbox tied to the text box) and emoji insertion. */
import type { Signal } from '@preact/signals';
import type { EmojiCompleter } from './completer';

export function EmojiOptions(props: { completer: EmojiCompleter; onPick: (i: number) => void }) {
  const { completer, onPick } = props;
  const options = completer.options.value;
  return (
    <ul
      id="emoji-options"
      class="mention-options emoji-options"
      role="listbox"
      aria-label="Emoji"
      hidden={options.length === 0}
      data-testid="emoji-options"
    >
      {options.map((o, i) => (
        <li
          key={o.name}
          id={`emoji-option-${i}`}
          role="option"
          aria-selected={i === completer.active.value}
          data-testid="emoji-completion"
          onMouseDown={(e) => {
            e.preventDefault(); // keep the focus in the box
            onPick(i);
          }}
        >
          <span aria-hidden="true">{o.emoji}</span> :{o.name}:
        </li>
      ))}
    </ul>
  );
}

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
