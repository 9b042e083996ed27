/**
 * The composer's one completion state machine (src/web/ui/completer.ts), shared by `@`
 * mentions and `:` shortcodes: open on the trigger, latest answer wins, arrows wrap,
 * Enter/Tab pick, Escape closes, nothing is taken while an IME composes.
 */
import { describe, expect, it } from 'vitest';
import { createCompleter } from '../../src/web/ui/completer';

function key(k: string, isComposing = false) {
  let prevented = false;
  return {
    key: k,
    isComposing,
    preventDefault: () => void (prevented = true),
    get prevented() {
      return prevented;
    },
  };
}

const words = ['apple', 'apricot', 'avocado'];

function fruitList(delays: Record<string, Promise<void>> = {}) {
  return createCompleter<string>({
    typing: /(^|\s)#([a-z]{1,10})$/,
    async find(q) {
      await delays[q];
      return q === 'offline' ? null : words.filter((w) => w.startsWith(q));
    },
    insert: (w) => `#${w} `,
  });
}

describe('completion lists', () => {
  it('open on the trigger, move with wrapping arrows, pick with Enter and close with Escape', async () => {
    const list = fruitList();
    await list.typed('eat #ap');
    expect(list.options.value).toEqual(['apple', 'apricot']);
    let picks = 0;
    const up = key('ArrowUp');
    expect(list.keyDown(up, () => (picks += 1))).toBe(true);
    expect(up.prevented).toBe(true);
    expect(list.active.value).toBe(1); // wrapped from the first to the last
    expect(list.keyDown(key('ArrowDown'), () => {})).toBe(true);
    expect(list.active.value).toBe(0);
    expect(list.keyDown(key('Enter'), () => (picks += 1))).toBe(true);
    expect(picks).toBe(1);
    expect(list.pick('eat #ap now', 7)).toEqual({
      text: 'eat #apple  now',
      caret: 11,
      option: 'apple',
    });
    expect(list.options.value).toEqual([]);

    await list.typed('#a');
    const escape = key('Escape');
    expect(list.keyDown(escape, () => {})).toBe(true);
    expect(list.options.value).toEqual([]);
    // Closed, or while an IME composes: the keys are the text box's.
    const enter = key('Enter');
    expect(list.keyDown(enter, () => {})).toBe(false);
    expect(enter.prevented).toBe(false);
    await list.typed('#a');
    expect(list.keyDown(key('Enter', true), () => {})).toBe(false);
    expect(list.keyDown(key('x'), () => {})).toBe(false);
  });

  it('keeps the newest answer when an older one arrives late, and the list as is when offline', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const list = fruitList({ a: slow });
    const older = list.typed('#a');
    await list.typed('#av');
    expect(list.options.value).toEqual(['avocado']);
    release();
    await older;
    expect(list.options.value).toEqual(['avocado']);
    await list.typed('#offline');
    expect(list.options.value).toEqual(['avocado']);
    await list.typed('no trigger');
    expect(list.options.value).toEqual([]);
    expect(list.pick('no trigger', 10)).toBeNull();
  });
});
