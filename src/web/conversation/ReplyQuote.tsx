/**
 * The one-line quote a reply shows of its original (author and the start of its text, or
 * "deleted message"); clicking it jumps to the original. Also the composer's "Replying to".
 */
import { shownName } from '../../shared/profile';
import type { Message } from '../../shared/protocol';
import type { Conversation } from './model';

const EXCERPT_CHARS = 80;

/** The original's author and opening words, as plain text (no Markdown). */
export function excerpt(conv: Conversation, original: Message | undefined) {
  if (!original) return { who: null, text: 'an earlier message' };
  const who = shownName(conv.names.current(original.author));
  if (original.deleted) return { who, text: 'deleted message' };
  const flat = original.text.replace(/\s+/g, ' ').trim();
  return {
    who,
    text: flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat,
  };
}

export function ReplyQuote({ conv, seq }: { conv: Conversation; seq: number }) {
  const { who, text } = excerpt(conv, conv.messageAt(seq));
  return (
    <button
      type="button"
      class="reply-quote"
      data-testid="reply-quote"
      data-reply-to={seq}
      aria-label={`Reply to ${who ?? 'an earlier message'}: ${text}. Show the original`}
      onClick={() => void conv.jumpTo(seq)}
    >
      <span aria-hidden="true">↩</span> {who && <bdi class="reply-author">{who}</bdi>}{' '}
      <bdi class="reply-text">{text}</bdi>
    </button>
  );
}
