/**
 * The composer's `@` autocomplete: the word being typed after `@`, the chat's members who
 * match it (asked of the server, the latest answer wins), which one is active, and what a
 * pick puts in the text.
 */
import type { UserRef } from '../../shared/protocol';
import { createCompleter } from '../ui/completer';
import { encodeMentions } from './mentions';

/** `@` and up to 32 name characters right before the caret, at a word start. */
const TYPING = /(^|\s)@([\p{L}\p{N}_.-]{0,32})$/u;

/**
 * `picked` (`@name` text → id, for names picked in this draft) is the conversation's, which
 * encodes them when the message is sent.
 */
export function createMentionPicker(
  search: (q: string) => Promise<UserRef[]>,
  allowHere: boolean,
  picked = new Map<string, string>(),
) {
  const list = createCompleter<UserRef | 'here'>({
    typing: TYPING,
    async find(q) {
      let found: UserRef[] = [];
      try {
        found = await search(q);
      } catch {
        // Offline or refused: no suggestions, the text stays as typed.
      }
      const here = allowHere && 'here'.startsWith(q.toLowerCase()) ? (['here'] as const) : [];
      return [...here, ...found];
    },
    insert: (option) => `@${option === 'here' ? 'here' : option.name} `,
  });

  return {
    ...list,
    /** The text with the `@partial` before the caret replaced by the active option. */
    pick(text: string, caret: number): { text: string; caret: number } | null {
      const next = list.pick(text, caret);
      if (!next) return null;
      if (next.option !== 'here') picked.set(`@${next.option.name}`, next.option.id);
      return { text: next.text, caret: next.caret };
    },
    /** The text to send: each picked `@name` (and `@here` where allowed) as its token. */
    encode: (text: string) => encodeMentions(text, picked, allowHere),
    /** A new draft: forget what was picked. */
    reset() {
      picked.clear();
      list.close();
    },
  };
}

export type MentionPicker = ReturnType<typeof createMentionPicker>;
