/**
 * A message's open "React" picker (a chunk loaded when "React" is first used): the quick
 * choices and "More emoji" (the full picker, with search and the recently used). Left and
 * Right move between the choices; Escape closes them (ReactButton returns focus to "React").
 */
import { useSignal } from '@preact/signals';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { Message } from '../../shared/protocol';
import { asRgi } from '../emoji/load';
import { LazyEmojiPicker } from '../emoji/LazyEmojiPicker';
import { rememberEmoji } from '../emoji/recent';
import type { Conversation } from './model';
import { keepInView } from '../ui/keep-in-view';

/** The quick choices; any emoji can still arrive from other clients. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢'] as const;

export interface ReactChoicesProps {
  conv: Conversation;
  message: Message;
  /** Closes the picker, focus back on "React". */
  close: () => void;
}

export function ReactChoices({ conv, message: m, close }: ReactChoicesProps) {
  const full = useSignal(false);
  const choices = useRef<HTMLSpanElement>(null);
  // The first choice takes focus as the choices appear (autofocus works only as a page loads).
  useLayoutEffect(() => keepInView(choices.current), [full.value]);
  useEffect(() => choices.current?.querySelector<HTMLElement>('button')?.focus(), []);
  const mine = new Set(m.reactions.filter((r) => r.me).map((r) => r.emoji));
  const react = (emoji: string) => {
    close();
    const rgi = asRgi(emoji);
    if (!rgi) return;
    rememberEmoji(rgi);
    conv.react(m.seq, rgi, !mine.has(rgi));
  };
  if (full.value)
    return (
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
    );
  return (
    <span
      class="react-choices"
      role="group"
      aria-label="Choose a reaction"
      ref={choices}
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
  );
}
