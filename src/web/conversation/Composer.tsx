/** Writing a message: Enter sends, Shift+Enter is a new line, ↑ in an empty box edits your last. */
import { LIMITS } from '../../shared/limits';
import type { Conversation } from './model';

// Show how much room is left only when it starts to matter.
const COUNTER_FROM = LIMITS.messageChars - 500;

export function Composer({ conv, placeholder }: { conv: Conversation; placeholder: string }) {
  const text = conv.draft.value;

  function submit() {
    if (conv.send(text)) conv.draft.value = '';
  }

  function editLast() {
    const mine = conv.messages.value.findLast((m) => m.author.id === conv.me.id && !m.deleted);
    if (mine) conv.editing.value = mine.seq;
    return Boolean(mine);
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label class="visually-hidden" for="composer-input">
        {placeholder}
      </label>
      <textarea
        id="composer-input"
        data-testid="composer-input"
        dir="auto"
        rows={1}
        placeholder={placeholder}
        value={text}
        maxLength={LIMITS.messageChars}
        enterkeyhint="send"
        onInput={(e) => {
          conv.draft.value = e.currentTarget.value;
          if (e.currentTarget.value.trim()) conv.typed();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          } else if (e.key === 'ArrowUp' && !text && editLast()) {
            e.preventDefault();
          }
        }}
      />
      {text.length > COUNTER_FROM && (
        <span class="counter" aria-live="polite">
          {LIMITS.messageChars - text.length} left
        </span>
      )}
      <button type="submit" class="primary send" data-testid="send-button" disabled={!text.trim()}>
        Send
      </button>
    </form>
  );
}
