/**
 * A message's reactions: one toggle button per emoji (pressed when one of them is yours),
 * with who reacted in its label, and a small picker to add one.
 */
import { useSignal } from '@preact/signals';
import type { Message } from '../../shared/protocol';
import { asRgi } from '../emoji/load';
import { LazyEmojiPicker } from '../emoji/LazyEmojiPicker';
import { rememberEmoji } from '../emoji/recent';
import type { Conversation } from './model';

/** The quick choices; any emoji can still arrive from other clients. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢'] as const;

export function Reactions({ conv, message: m }: { conv: Conversation; message: Message }) {
  if (m.deleted || m.reactions.length === 0) return null;
  return (
    <div class="reactions" role="group" aria-label="Reactions" data-testid="reactions">
      {m.reactions.map((r) => {
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
            onClick={() => conv.react(m.seq, r.emoji, !r.me)}
          >
            <span aria-hidden="true">{r.emoji}</span> <span class="count">{r.count}</span>
          </button>
        );
      })}
    </div>
  );
}

/**
 * "React" in a message's actions: opens the quick choices and "More emoji" (the full picker,
 * with search and the recently used); Escape closes them and returns to "React", Left and
 * Right move between the choices, and focus moving elsewhere (Tab, a page key) closes them.
 */
export function ReactButton({ conv, message: m }: { conv: Conversation; message: Message }) {
  const open = useSignal(false);
  const full = useSignal(false);
  const mine = new Set(m.reactions.filter((r) => r.me).map((r) => r.emoji));
  const inMessage = (testId: string) =>
    document.querySelector<HTMLElement>(`#m-${m.seq} [data-testid=${testId}]`);
  // Back to "React" before the choices close: focus must not fall to <body> with them (and
  // a toolbar whose message lost focus is hidden, so "React" could not take it afterwards).
  const close = () => {
    inMessage('message-react')?.focus();
    open.value = false;
    full.value = false;
  };
  const react = (emoji: string) => {
    close();
    const rgi = asRgi(emoji);
    if (!rgi) return;
    rememberEmoji(rgi);
    conv.react(m.seq, rgi, !mine.has(rgi));
  };
  return (
    <span
      class="react-picker"
      onFocusOut={(e) => {
        const to = e.relatedTarget as Node | null;
        if (to && !e.currentTarget.contains(to)) open.value = full.value = false;
      }}
    >
      <button
        type="button"
        class="link-button"
        data-testid="message-react"
        aria-label="Add reaction"
        aria-expanded={open.value}
        onClick={() => {
          open.value = !open.value;
          // The first choice takes focus (autofocus works only as a page loads).
          if (open.value) setTimeout(() => inMessage('react-choice')?.focus());
        }}
      >
        React
      </button>
      {open.value && full.value && (
        <span
          class="react-full"
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.stopPropagation();
            close();
          }}
        >
          <LazyEmojiPicker label="Add a reaction" onPick={react} />
        </span>
      )}
      {open.value && !full.value && (
        <span
          class="react-choices"
          role="group"
          aria-label="Choose a reaction"
          onKeyDown={(e) => {
            if (e.key === 'Escape') close();
            const step = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
            const all = [...e.currentTarget.children] as HTMLElement[];
            if (step)
              all[(all.indexOf(e.target as HTMLElement) + step + all.length) % all.length]!.focus();
          }}
        >
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              data-testid="react-choice"
              aria-label={`React with ${emoji}`}
              onClick={() => react(emoji)}
            >
              {emoji}
            </button>
          ))}
          <button
            type="button"
            data-testid="react-more"
            aria-label="More emoji"
            title="More emoji"
            onClick={() => (full.value = true)}
          >
            …
          </button>
        </span>
      )}
    </span>
  );
}
