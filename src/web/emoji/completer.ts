/**
 * `:ta` in the composer: shortcodes starting with what is typed after a `:` (then those
 * containing it), for the composer's second listbox. A pick puts the emoji itself in the text.
 */
import { createCompleter } from '../ui/completer';
import { loadShortcodes } from './load';

/** `:` and 2–32 shortcode characters right before the caret, at a word start. */
const TYPING = /(^|\s):([a-z0-9_+-]{2,32})$/;
const MAX_OPTIONS = 8;

export interface ShortcodeOption {
  name: string;
  emoji: string;
}

export function createEmojiCompleter() {
  return createCompleter<ShortcodeOption>({
    typing: TYPING,
    async find(q) {
      let map: ReadonlyMap<string, string>;
      try {
        map = await loadShortcodes();
      } catch {
        return null; // offline: the text stays as typed
      }
      const names = [...map.keys()];
      const starts = names.filter((n) => n.startsWith(q)).sort((a, b) => a.length - b.length);
      const contains = names.filter((n) => !n.startsWith(q) && n.includes(q));
      return [...starts, ...contains]
        .slice(0, MAX_OPTIONS)
        .map((name) => ({ name, emoji: map.get(name)! }));
    },
    insert: (option) => `${option.emoji} `,
  });
}

export type EmojiCompleter = ReturnType<typeof createEmojiCompleter>;
