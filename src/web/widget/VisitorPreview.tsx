/**
 * The room's latest messages for a visitor who has not written yet (store.preview): who said
 * what, as plain text, so they can see what the room is like before choosing a name. Not
 * live: once they write, the conversation itself takes its place.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Message } from '../../shared/protocol';
import { shownName } from '../../shared/profile';
import { messageLine } from '../conversation/unmark';
import { userColor } from '../ui/color';

export function VisitorPreview({ messages }: { messages: readonly Message[] }) {
  const list = useRef<HTMLOListElement>(null);
  // The newest at the bottom, in view, as in a chat.
  useLayoutEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [messages]);
  if (messages.length === 0) return null;
  // A mention names someone in the preview when they wrote in it, else "someone".
  const known = new Map(messages.map((m) => [m.author.id, shownName(m.author)]));
  const nameOf = (id: string) => known.get(id) ?? 'someone';
  return (
    <ol
      ref={list}
      class="visitor-preview"
      aria-label="Latest messages"
      data-testid="visitor-preview"
      tabIndex={0}
    >
      {messages.map((m) => (
        <li key={m.seq} dir="auto">
          <bdi class="author" style={{ color: userColor(m.author) }}>
            {shownName(m.author)}
          </bdi>{' '}
          {messageLine(m.text, nameOf) || 'Sent a file'}
        </li>
      ))}
    </ol>
  );
}
