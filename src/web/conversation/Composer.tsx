/** Writing a message: Enter sends, Shift+Enter is a new line, ↑ in an empty box edits your last. */
import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { charactersLeft, LengthCounter } from './LengthCounter';
import { insertAtCaret } from '../emoji/ComposerEmoji';
import { LazyEmojiPicker } from '../emoji/LazyEmojiPicker';
import type { ComposerLists, CompletionLists } from './ComposerLists';
import type { Conversation } from './model';
import { excerpt } from './excerpt';
import { AttachButton, pastedFiles } from '../files/AttachButton';
import { UploadTray } from '../files/lazy';

// The lists' view, from the same chunk as the lists.
let ListsView: typeof CompletionLists | null = null;

// Lists that could not load (offline): the text stays as typed; the next focus tries again.
const noLists = () => {};

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

  // The `@` and `:ta` lists (ComposerLists.tsx) load when the box first takes focus or input
  // (it takes focus as the chat opens). Text typed meanwhile is looked at once they are in,
  // as it is then: a first `@` still opens the list.
  const lists = useSignal<ComposerLists | null>(null);
  const load = useMemo(() => {
    let loading: Promise<ComposerLists> | null = null;
    return () =>
      (loading ??= import('./ComposerLists').then(
        (m) => {
          ListsView = m.CompletionLists;
          return (lists.value = m.createComposerLists(conv));
        },
        (err: unknown) => {
          loading = null; // the next focus or input tries again
          throw err;
        },
      ));
  }, [conv]);
  // Another chat's conversation: its lists are made anew (they write to their own draft).
  useEffect(() => () => void (lists.value = null), [conv]);
  const { people, emoji } = lists.value ?? {};
  const open = (people?.options.value.length ?? 0) > 0;
  const emojiOpen = (emoji?.options.value.length ?? 0) > 0;
  // The full emoji picker (src/web/emoji).
  const picking = useSignal(false);

  const attached = conv.uploads.items.value;
  const uploading = attached.some((f) => f.status === 'uploading');
  // Past the limit Send waits until the text fits (LengthCounter says by how much).
  const sendable =
    !uploading && charactersLeft(text) >= 0 && (text.trim() !== '' || attached.some((f) => f.file));

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
            ? `mention-option-${people!.active.value}`
            : emojiOpen
              ? `emoji-completion-${emoji!.active.value}`
              : undefined
        }
        onFocus={() => void load().catch(noLists)}
        onInput={(e) => {
          const input = e.currentTarget;
          conv.draft.value = input.value;
          if (input.value.trim()) conv.typed();
          const before = () => input.value.slice(0, input.selectionStart);
          const ready = lists.peek();
          // Not loaded yet: the lists see the text as it is once they are in (offline: never).
          if (ready) ready.typed(before());
          else void load().then((l) => l.typed(before()), noLists);
        }}
        onBlur={() => setTimeout(() => lists.peek()?.close(), 150)}
        onPaste={(e) => {
          const files = conv.files ? pastedFiles(e) : [];
          if (files.length) conv.uploads.add(files);
        }}
        onKeyDown={(e) => {
          // An open list takes its keys first (the mentions', else the shortcodes').
          if (lists.peek()?.keyDown(e)) return;
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
      {lists.value && ListsView && <ListsView lists={lists.value} />}
      <span
        class="composer-emoji"
        onKeyDown={(e) => {
          if (e.key !== 'Escape' || !picking.value) return;
          e.stopPropagation();
          picking.value = false;
          document.getElementById('composer-emoji-button')?.focus();
        }}
        // Tab (or a click) out of the picker closes it, as "React"'s choices do: left open, it
        // kept the page behind it and Escape there had nothing to return to.
        onFocusOut={(e) => {
          const to = e.relatedTarget as Node | null;
          if (to && !e.currentTarget.contains(to)) picking.value = false;
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
      <LengthCounter text={text} />
      <button type="submit" class="primary send" data-testid="send-button" disabled={!sendable}>
        Send
      </button>
    </form>
  );
}
