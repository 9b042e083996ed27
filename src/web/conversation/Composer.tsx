/** Writing a message: Enter sends, Shift+Enter is a new line, ↑ in an empty box edits your last. */
import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { codePoints, LIMITS } from '../../shared/limits';
import { createEmojiCompleter } from '../emoji/completer';
import { insertAtCaret } from '../emoji/ComposerEmoji';
import { CompletionList } from '../ui/CompletionList';
import { LazyEmojiPicker } from '../emoji/LazyEmojiPicker';
import { rememberEmoji } from '../emoji/recent';
import type { Conversation } from './model';
import { excerpt } from './excerpt';
import { UserTag } from '../profile/UserTag';
import { AttachButton, pastedFiles } from '../files/AttachButton';
import { UploadTray } from '../files/lazy';

// Show how much room is left only when it starts to matter.
const COUNTER_FROM = LIMITS.messageChars - 500;

export function Composer({ conv, placeholder }: { conv: Conversation; placeholder: string }) {
  const text = conv.draft.value;
  // A chat that opens with the keyboard nowhere (after signing in, a dialog that opened it
  // closing) puts it here, never on <body>; focus somewhere else is left where it is.
  useEffect(() => {
    const idle = !document.activeElement || document.activeElement === document.body;
    if (idle) document.getElementById('composer-input')?.focus();
  }, [conv]);

  function submit() {
    if (conv.send(text)) conv.draft.value = '';
  }

  function editLast() {
    const mine = conv.messages.value.findLast((m) => m.author.id === conv.me.id && !m.deleted);
    if (mine) conv.editing.value = mine.seq;
    return Boolean(mine);
  }

  const picker = conv.mentions;
  const options = picker.options.value;
  const open = options.length > 0;
  // `:ta` completions and the full picker (src/web/emoji).
  const emoji = useMemo(createEmojiCompleter, []);
  const emojiOpen = emoji.options.value.length > 0;
  const picking = useSignal(false);

  function pickEmoji(input: HTMLTextAreaElement) {
    const next = emoji.pick(input.value, input.selectionStart);
    if (!next) return;
    rememberEmoji(next.option.emoji);
    conv.draft.value = next.text;
    requestAnimationFrame(() => input.setSelectionRange(next.caret, next.caret));
  }

  function pick(input: HTMLTextAreaElement) {
    const option = picker.options.peek()[picker.active.peek()];
    if (option && option !== 'here') conv.names.update(option); // its chip shows the name at once
    const next = picker.pick(input.value, input.selectionStart);
    if (!next) return;
    conv.draft.value = next.text;
    // After the render that puts the new text in, the caret goes after the inserted name.
    requestAnimationFrame(() => input.setSelectionRange(next.caret, next.caret));
  }

  const attached = conv.uploads.items.value;
  const uploading = attached.some((f) => f.status === 'uploading');
  // Past the limit the text stays whole (a paste is never cut short): the counter says by
  // how much, and Send waits until it fits.
  // Counted as the server counts: code points, so an emoji is one character, not two.
  const left = LIMITS.messageChars - codePoints(text);
  const sendable = !uploading && left >= 0 && (text.trim() !== '' || attached.some((f) => f.file));

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
      {attached.length > 0 && <UploadTray uploads={conv.uploads} />}
      {conv.files && <AttachButton onFiles={(files) => conv.uploads.add(files)} />}
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
        enterkeyhint="send"
        // A textarea must keep the textbox role; the list is tied to it by these.
        aria-autocomplete="list"
        aria-controls={emojiOpen ? 'emoji-options' : 'mention-options'}
        aria-activedescendant={
          open
            ? `mention-option-${picker.active.value}`
            : emojiOpen
              ? `emoji-completion-${emoji.active.value}`
              : undefined
        }
        onInput={(e) => {
          const input = e.currentTarget;
          conv.draft.value = input.value;
          if (input.value.trim()) conv.typed();
          void picker.typed(input.value.slice(0, input.selectionStart));
          void emoji.typed(input.value.slice(0, input.selectionStart));
        }}
        onBlur={() =>
          setTimeout(() => {
            picker.close();
            emoji.close();
          }, 150)
        }
        onPaste={(e) => {
          const files = conv.files ? pastedFiles(e) : [];
          if (files.length) conv.uploads.add(files);
        }}
        onKeyDown={(e) => {
          const input = e.currentTarget;
          // An open list takes its keys first (the mentions', else the shortcodes').
          if (picker.keyDown(e, () => pick(input)) || emoji.keyDown(e, () => pickEmoji(input)))
            return;
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
      <CompletionList
        id="mention-options"
        class="mention-options"
        label="People to mention"
        testId="mention-options"
        optionTestId="mention-option"
        list={picker}
        keyOf={(o) => (o === 'here' ? 'here' : o.id)}
        onPick={() => pick(document.getElementById('composer-input') as HTMLTextAreaElement)}
      >
        {(o) =>
          o === 'here' ? (
            <>
              <strong>@here</strong> <span class="hint">everyone online in this chat</span>
            </>
          ) : (
            <>
              <bdi>@{o.name}</bdi>
              {o.displayName && (
                <>
                  {' '}
                  <bdi class="hint" dir="auto">
                    {o.displayName}
                  </bdi>
                </>
              )}
              {o.kind && <UserTag user={o} />}
            </>
          )
        }
      </CompletionList>
      <CompletionList
        id="emoji-options"
        class="mention-options emoji-options"
        label="Emoji"
        testId="emoji-options"
        optionTestId="emoji-completion"
        list={emoji}
        keyOf={(o) => o.name}
        onPick={() => pickEmoji(document.getElementById('composer-input') as HTMLTextAreaElement)}
      >
        {(o) => (
          <>
            <span aria-hidden="true">{o.emoji}</span> :{o.name}:
          </>
        )}
      </CompletionList>
      <span
        class="composer-emoji"
        onKeyDown={(e) => {
          if (e.key !== 'Escape' || !picking.value) return;
          e.stopPropagation();
          picking.value = false;
          document.getElementById('composer-emoji-button')?.focus();
        }}
      >
        <button
          type="button"
          id="composer-emoji-button"
          class="icon-button"
          data-testid="composer-emoji"
          aria-label="Insert emoji"
          aria-expanded={picking.value}
          title="Insert emoji"
          onClick={() => (picking.value = !picking.value)}
        >
          ☺
        </button>
        {picking.value && (
          <LazyEmojiPicker
            label="Insert emoji"
            onPick={(chosen) => {
              picking.value = false;
              insertAtCaret(conv.draft, 'composer-input', chosen);
            }}
          />
        )}
      </span>
      {text.length > COUNTER_FROM && (
        <span
          class={left < 0 ? 'counter over' : 'counter'}
          aria-live="polite"
          data-testid="counter"
        >
          {left < 0 ? `${-left} character${left < -1 ? 's' : ''} too long` : `${left} left`}
        </span>
      )}
      <button type="submit" class="primary send" data-testid="send-button" disabled={!sendable}>
        Send
      </button>
    </form>
  );
}
