/**
 * A message's reactions: one toggle button per emoji (pressed when one of them is yours),
 * with who reacted in its label, and a small picker to add one.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import type { Message } from '../../shared/protocol';
import { lazy } from '../ui/lazy';
import { refocusAt } from '../ui/refocus';
import type { Conversation } from './model';

// The choices load when "React" is first pointed at, focused or pressed: nothing shows
// until they are in (then the first choice takes focus, as it does once loaded).
const loadChoices = () => import('./ReactChoices');
const ReactChoices = lazy(
  () => loadChoices().then((m) => m.ReactChoices),
  'the reactions',
  () => null,
);
const prefetch = () => void loadChoices().catch(() => {}); // tried again when opened

export function Reactions({ conv, message: m }: { conv: Conversation; message: Message }) {
  // Taking back a reaction only you made removes its pill when the room's event comes back:
  // focus goes to the pill now in its place or the one before, else the message, not <body>.
  const leaving = useRef<{ emoji: string; at: number } | null>(null);
  useEffect(() => {
    const gone = leaving.current;
    if (!gone || m.reactions.some((r) => r.emoji === gone.emoji)) return;
    leaving.current = null;
    const pills = document.querySelectorAll<HTMLElement>(`#m-${m.seq} [data-testid=reaction]`);
    refocusAt(pills, gone.at, document.getElementById(`m-${m.seq}`));
  });
  if (m.deleted || m.reactions.length === 0) return null;
  return (
    <div class="reactions" role="group" aria-label="Reactions" data-testid="reactions">
      {m.reactions.map((r, at) => {
        const names = r.users.map((id) => (id === conv.me.id ? 'you' : conv.names.shownNameOf(id)));
        const others = r.count - r.users.length;
        const who = others > 0 ? `${names.join(', ')} and ${others} more` : names.join(', ');
        return (
          <button
            key={r.emoji}
            type="button"
            class="reaction"
            data-testid="reaction"
            data-emoji={r.emoji}
            aria-pressed={r.me}
            aria-label={`${r.emoji} ${r.count}: ${who}. ${r.me ? 'Remove yours' : 'Add yours'}`}
            title={who}
            onClick={() => {
              if (r.me && r.count === 1) leaving.current = { emoji: r.emoji, at };
              conv.react(m.seq, r.emoji, !r.me);
            }}
          >
            <span aria-hidden="true">{r.emoji}</span> <span class="count">{r.count}</span>
          </button>
        );
      })}
    </div>
  );
}

/**
 * "React" in a message's actions: opens the quick choices and "More emoji" (ReactChoices.tsx);
 * Escape closes them and returns to "React", and focus moving elsewhere (Tab, a page key)
 * closes them.
 */
export function ReactButton({ conv, message: m }: { conv: Conversation; message: Message }) {
  const open = useSignal(false);
  // Back to "React" before the choices close: focus must not fall to <body> with them (and
  // a toolbar whose message lost focus is hidden, so "React" could not take it afterwards).
  const close = () => {
    document.querySelector<HTMLElement>(`#m-${m.seq} [data-testid=message-react]`)?.focus();
    open.value = false;
  };
  return (
    <span
      class="react-picker"
      onFocusOut={(e) => {
        const to = e.relatedTarget as Node | null;
        if (to && !e.currentTarget.contains(to)) open.value = false;
      }}
    >
      <button
        type="button"
        class="link-button"
        data-testid="message-react"
        // Named by what it shows ("React"), so speaking the visible word finds it.
        aria-expanded={open.value}
        onPointerEnter={prefetch}
        onFocus={prefetch}
        onClick={() => (open.value = !open.value)}
      >
        React
      </button>
      {open.value && <ReactChoices conv={conv} message={m} close={close} />}
    </span>
  );
}
