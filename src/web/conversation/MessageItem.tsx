/** One message: text with links, "edited" marker or tombstone, and edit/delete for its author. */
import { useSignal } from '@preact/signals';
import type { Message } from '../../shared/protocol';
import type { Conversation } from './model';
import { lazy, toast } from '../ui/lazy';
import { Markdown } from './Markdown';
import { ReactButton, Reactions } from './Reactions';
import { ReplyQuote } from './ReplyQuote';
import { Attachments } from '../files/lazy';
import { chatPath } from '../app/router';
import { formatFull, formatTime } from './stream';
import { isJumbo } from './jumbo';
import { shortcodes } from '../emoji/load';

// Loaded the first time someone edits: most visits never do.
const EditBox = lazy(
  () => import('./EditBox').then((m) => m.MessageEditBox),
  'the edit box',
  toast,
);

interface MessageItemProps {
  conv: Conversation;
  message: Message;
  /** The first of its group shows the time in the group header instead. */
  first: boolean;
}

export function MessageItem({ conv, message: m, first }: MessageItemProps) {
  const confirming = useSignal(false);
  const linkCopied = useSignal(false);
  const own = m.author.id === conv.me.id;
  const mentionsMe =
    !own && !m.deleted && (m.text.includes(`<@${conv.me.id}>`) || m.text.includes('<@here>'));
  const editing = conv.editing.value === m.seq;
  // An archived room is read-only: only the link to a message is still offered.
  const archived = conv.room.archived.value;
  // A very long message is shown cut to a dozen lines, with "Show more": 4,000 characters of
  // short lines would otherwise fill screens. All of it stays in the page for screen readers.
  const expanded = useSignal(false);
  const long = m.text.length > 2000 || m.text.split('\n').length > 14;

  return (
    <div
      class={mentionsMe ? 'message mentions-me' : 'message'}
      id={`m-${m.seq}`}
      data-testid="message"
      data-seq={m.seq}
      data-author-id={m.author.id}
      data-status="sent"
      // A message takes focus on a tap, which reveals its actions on touch screens, and on a
      // jump to it (a reply's original).
      tabIndex={-1}
    >
      {!first && (
        <time
          class="message-time"
          dateTime={new Date(m.createdAt).toISOString()}
          title={formatFull(m.createdAt)}
        >
          {formatTime(m.createdAt)}
        </time>
      )}
      {m.pinned && !m.deleted && (
        <p class="pinned-mark" data-testid="pinned-mark">
          <span aria-hidden="true">📌 </span>Pinned
        </p>
      )}
      {m.deleted ? (
        <p class="tombstone" data-testid="tombstone">
          {m.removed ? 'This message was removed by a moderator' : 'This message was deleted'}
        </p>
      ) : editing ? (
        <EditBox
          conv={conv}
          stored={m.text}
          onSave={(text) => {
            conv.edit(m.seq, text);
            focusAfterRender(() => document.getElementById('composer-input'));
          }}
          onCancel={() => {
            conv.editing.value = null;
            focusAfterRender(() => document.getElementById(`m-${m.seq}`));
          }}
        />
      ) : (
        // dir=auto here, on the element whose text it is, so right-to-left text aligns right.
        // Each paragraph's text is isolated by CSS (not <bdi>, which dir=auto would skip), so
        // a bidi override in the text cannot reorder the "edited" marker after it.
        <>
          <div class="message-text" dir="auto" data-testid="message-text">
            {m.replyTo !== null && !m.deleted && <ReplyQuote conv={conv} seq={m.replyTo} />}
            <div
              class={[
                'message-body',
                long && !expanded.value && 'clamped',
                isJumbo(m.text, (name) => !!shortcodes.value?.has(name)) && 'jumbo',
              ]
                .filter(Boolean)
                .join(' ')}
              id={`mb-${m.seq}`}
              // Tab onto a link in the cut-off part shows the whole message: focus is never
              // on something the reader cannot see.
              // (Focus scrolls the cut box itself, hence the position within its content.)
              onFocusIn={(e) => {
                const body = e.currentTarget;
                if (!long || expanded.value) return;
                const top = (e.target as Element).getBoundingClientRect().bottom;
                if (top - body.getBoundingClientRect().top + body.scrollTop > body.clientHeight) {
                  body.scrollTop = 0;
                  expanded.value = true;
                }
              }}
            >
              <Markdown
                text={m.text}
                trailer={
                  m.editedAt !== null && (
                    <span
                      class="edited"
                      data-testid="edited-marker"
                      title={`Edited ${formatFull(m.editedAt)}`}
                    >
                      {' '}
                      (edited)
                    </span>
                  )
                }
              />
            </div>
          </div>
          {long && (
            <button
              type="button"
              class="link-button"
              data-testid="show-more"
              aria-expanded={expanded.value}
              aria-controls={`mb-${m.seq}`}
              onClick={() => (expanded.value = !expanded.value)}
            >
              {expanded.value ? 'Show less' : 'Show more'}
            </button>
          )}
        </>
      )}
      {m.files && !m.deleted && <Attachments files={m.files} token={conv.fileToken} />}
      <Reactions conv={conv} message={m} />
      {!m.deleted && !editing && !confirming.value && (
        <div class="message-actions">
          {!archived && <ReactButton conv={conv} message={m} />}
          <button
            type="button"
            class="link-button"
            data-testid="message-link"
            aria-label="Copy link to message"
            onClick={() => {
              const url = location.origin + chatPath(conv.roomId, m.seq);
              void navigator.clipboard?.writeText(url).then(
                () => {
                  linkCopied.value = true;
                  setTimeout(() => (linkCopied.value = false), 2000);
                },
                () => (linkCopied.value = false),
              );
            }}
          >
            {linkCopied.value ? 'Copied' : 'Link'}
          </button>
          {!archived && (
            <button
              type="button"
              class="link-button"
              data-testid="message-reply"
              aria-label="Reply"
              onClick={() => {
                conv.replyingTo.value = m.seq;
                focusAfterRender(() => document.getElementById('composer-input'));
              }}
            >
              Reply
            </button>
          )}
          {conv.mayPin.value && !archived && (
            <button
              type="button"
              class="link-button"
              data-testid="message-pin"
              aria-label={m.pinned ? 'Unpin message' : 'Pin message'}
              onClick={() => conv.pin(m.seq, !m.pinned)}
            >
              {m.pinned ? 'Unpin' : 'Pin'}
            </button>
          )}
          {own && !archived && (
            <>
              <button
                type="button"
                class="link-button"
                data-testid="message-edit"
                aria-label="Edit message"
                onClick={() => (conv.editing.value = m.seq)}
              >
                Edit
              </button>
              <button
                type="button"
                class="link-button danger"
                data-testid="message-delete"
                aria-label="Delete message"
                onClick={() => (confirming.value = true)}
              >
                Delete
              </button>
            </>
          )}
          {!own && !archived && conv.room.mayRemove(m.author.id) && (
            <button
              type="button"
              class="link-button danger"
              data-testid="message-remove"
              aria-label="Remove message"
              onClick={() => (confirming.value = true)}
            >
              Remove
            </button>
          )}
        </div>
      )}
      {confirming.value && !m.deleted && (
        <div class="confirm" role="group" aria-label={own ? 'Confirm delete' : 'Confirm removal'}>
          <span>{own ? 'Delete this message?' : 'Remove this message for everyone?'}</span>
          <button
            type="button"
            class="danger"
            data-testid="message-delete-confirm"
            autoFocus
            onClick={() => {
              // This button goes with the question: focus moves to the message, which stays
              // (as a tombstone once the room confirms), not to <body>.
              document.getElementById(`m-${m.seq}`)?.focus();
              confirming.value = false;
              conv.remove(m.seq);
            }}
          >
            {own ? 'Delete' : 'Remove'}
          </button>
          <button
            type="button"
            onClick={() => {
              // Focus stays in the message (its actions show again), not on <body>.
              document.getElementById(`m-${m.seq}`)?.focus();
              confirming.value = false;
            }}
          >
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}

/** Focus moves once the edit box is gone, or it would fall to <body> with it. */
function focusAfterRender(target: () => HTMLElement | null) {
  setTimeout(() => target()?.focus());
}
