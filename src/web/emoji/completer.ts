/**
 * `:ta` in the composer: shortcodes starting with what is typed after a `:` (then those
 * containing it), for the composer's second listbox. A pick puts the emoji itself in the text.
 */
import { signal } from '@preact/signals';
import { loadShortcodes } from './load';

/** `:` and 2–32 shortcode characters right before the caret, at a word start. */
const TYPING = /(^|\s):([a-z0-9_+-]{2,32})$/;
const MAX_OPTIONS = 8;

export interface ShortcodeOption {
  name: string;
  emoji: string;
}

export function createEmojiCompleter() {
  const options = signal<readonly ShortcodeOption[]>([]);
  const active = signal(0);
  let asked = 0;

  return {
    options,
    active,
    async typed(beforeCaret: string) {
      const match = TYPING.exec(beforeCaret);
      const ask = (asked += 1);
      if (!match) return void (options.value = []);
      const q = match[2]!;
      let map: ReadonlyMap<string, string>;
      try {
        map = await loadShortcodes();
      } catch {
        return; // offline: the text stays as typed
      }
      if (ask !== asked) return;
      const names = [...map.keys()];
      const starts = names.filter((n) => n.startsWith(q)).sort((a, b) => a.length - b.length);
      const contains = names.filter((n) => !n.startsWith(q) && n.includes(q));
      options.value = [...starts, ...contains]
        .slice(0, MAX_OPTIONS)
        .map((name) => ({ name, emoji: map.get(name)! }));
      active.value = 0;
    },
    move(by: number) {
      const n = options.value.length;
      if (n > 0) active.value = (active.value + by + n) % n;
    },
    close() {
      asked += 1;
      options.value = [];
    },
    /** The text with the `:partial` before the caret replaced by the active option's emoji. */
    pick(text: string, caret: number): { text: string; caret: number; emoji: string } | null {
      const option = options.value[active.value];
      const match = TYPING.exec(text.slice(0, caret));
      if (!option || !match) return null;
      const start = caret - match[2]!.length - 1;
      const insert = `${option.emoji} `;
      options.value = [];
      return {
        text: text.slice(0, start) + insert + text.slice(caret),
        caret: start + insert.length,
        emoji: option.emoji,
      };
    },
  };
}

export type EmojiCompleter = ReturnType<typeof createEmojiCompleter>;
