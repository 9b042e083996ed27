/**
 * The one-line quote a reply shows of its original (author and the start of its text, or
 * "deleted message"); clicking it jumps to the original. Also the composer's "Replying to".
 */
import { excerpt } from './excerpt';
import type { Conversation } from './model';

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
