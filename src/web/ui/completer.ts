/**
 * The composer's completion lists (`@` mentions, `:` shortcodes) share one state machine:
 * a trigger word right before the caret opens a list, typing narrows it (the latest answer
 * wins, an older one arriving late is dropped), the arrow keys move the active option, Enter
 * or Tab picks it, Escape closes the list. Each list says only how it finds its options and
 * what a pick puts in the text.
 */
import { signal } from '@preact/signals';

export interface CompleterRules<T> {
  /** The trigger and query right before the caret; the query is capture group 2. */
  typing: RegExp;
  /** The options for a query; null keeps the list as it is (offline: the text stays as typed). */
  find(query: string): Promise<readonly T[] | null>;
  /** What a pick puts in place of the trigger and query. */
  insert(option: T): string;
}

/** What the list needs of a keydown (the shape of a DOM KeyboardEvent). */
interface KeyPress {
  key: string;
  isComposing: boolean;
  preventDefault(): void;
}

export function createCompleter<T>({ typing, find, insert }: CompleterRules<T>) {
  const options = signal<readonly T[]>([]);
  const active = signal(0);
  let asked = 0;

  function move(by: number) {
    const n = options.value.length;
    if (n > 0) active.value = (active.value + by + n) % n;
  }
  function close() {
    asked += 1;
    options.value = [];
  }

  return {
    options,
    active,
    /** The text before the caret changed: open, narrow or close the list. */
    async typed(beforeCaret: string) {
      const match = typing.exec(beforeCaret);
      const ask = (asked += 1);
      if (!match) return void (options.value = []);
      const found = await find(match[2]!);
      if (ask !== asked || !found) return; // a newer keystroke asked again
      options.value = found;
      active.value = 0;
    },
    move,
    close,
    /** The text with the trigger and query before the caret replaced by the active option. */
    pick(text: string, caret: number): { text: string; caret: number; option: T } | null {
      const option = options.value[active.value];
      const match = typing.exec(text.slice(0, caret));
      if (option === undefined || !match) return null;
      const start = caret - match[2]!.length - 1;
      const inserted = insert(option);
      options.value = [];
      return {
        text: text.slice(0, start) + inserted + text.slice(caret),
        caret: start + inserted.length,
        option,
      };
    },
    /** A key in the text box while the list is open; true when it was the list's to handle. */
    keyDown(e: KeyPress, pick: () => void): boolean {
      if (options.value.length === 0 || e.isComposing) return false;
      const act = (
        {
          ArrowDown: () => move(1),
          ArrowUp: () => move(-1),
          Enter: pick,
          Tab: pick,
          Escape: close,
        } as Record<string, (() => void) | undefined>
      )[e.key];
      if (!act) return false;
      e.preventDefault();
      act();
      return true;
    },
  };
}

export type Completer<T> = ReturnType<typeof createCompleter<T>>;
