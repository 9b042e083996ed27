/** Writing a message: Enter sends, Shift+Enter is a new line, ↑ in an empty box edits your last. */
import { LIMITS } from '../../shared/limits';
import type { Conversation } from './model';
import { excerpt } from './ReplyQuote';

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

  const replyTo = conv.replyingTo.value;
  const original = replyTo === null ? null : excerpt(conv, conv.messageAt(replyTo));
  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {original && (
        <div class="replying" data-testid="replying-to">
          <span>
            Replying to {original.who && <bdi>{original.who}</bdi>}: <bdi>{original.text}</bdi>
          </span>
          <button
            type="button"
            class="icon-button"
            aria-label="Cancel reply"
            onClick={() => (conv.replyingTo.value = null)}
          >
            ×
          </button>
        </div>
      )}
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
          } else if (e.key === 'Escape' && conv.replyingTo.value !== null) {
            conv.replyingTo.value = null;
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
