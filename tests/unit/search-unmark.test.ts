/** A search result's snippet reads as its message does: Markdown's markers out, highlights moved. */
import { describe, expect, it } from 'vitest';
import { plainText, unmark } from '../../src/web/conversation/unmark';

const ranges = (...pairs: [number, number][]) => pairs.map(([start, end]) => ({ start, end }));
/** The kept text with each highlight in [brackets]. */
function shown(text: string, word: string) {
  const start = text.indexOf(word);
  const out = unmark(text, ranges([start, start + word.length]));
  const [h] = out.ranges;
  return h
    ? `${out.text.slice(0, h.start)}[${out.text.slice(h.start, h.end)}]${out.text.slice(h.end)}`
    : out.text;
}

describe('a search snippet without Markdown', () => {
  it('drops the markers of bold, italic, strikethrough, code and spoilers, keeping the highlight on its word', () => {
    expect(shown('a **bold** word', 'bold')).toBe('a [bold] word');
    expect(shown('__deploy__ and ~~old~~ `code` ||secret||', 'old')).toBe(
      'deploy and [old] code secret',
    );
    expect(shown('see `npm run deploy` now', 'deploy')).toBe('see npm run [deploy] now');
  });

  it('shows a link by its text and an image by its alt text, not their addresses', () => {
    expect(shown('read [the docs](https://x.org/a_(b)) first', 'docs')).toBe(
      'read the [docs] first',
    );
    expect(shown('![a cat](https://x.org/c.png "t") meows', 'meows')).toBe('a cat [meows]');
  });

  it("drops a code block's fences and language, keeping its code", () => {
    expect(shown('```js\nconst deploy = 1;\n```', 'deploy')).toBe('\nconst [deploy] = 1;\n');
  });

  it('keeps what only looks like a marker, and a marker the cut left without its pair', () => {
    expect(shown('2 ** 3 and snake_case_name', 'snake')).toBe('2 ** 3 and [snake]_case_name');
    expect(shown('bold** tail', 'tail')).toBe('bold** [tail]');
  });

  it('drops a highlight that was all marker, and one whose offsets are out of range', () => {
    expect(unmark('**x**', ranges([0, 2], [3, 9], [2, 3]))).toEqual({
      text: 'x',
      ranges: [{ start: 0, end: 1 }],
    });
  });

  it('drops bidi overrides, which would reorder what follows, keeping the highlight', () => {
    expect(shown('zzinvoice \u202Efdp.exe\u202C attached', 'attached')).toBe(
      'zzinvoice fdp.exe\u202C [attached]',
    );
    expect(shown('a \u202Dx\u202E b', 'b')).toBe('a x [b]');
  });
});

describe('a message as one line (chat-list previews, notifications)', () => {
  it('has no markers, quote or list marks, overrides or line breaks', () => {
    expect(plainText('> **Ship** it\n- [docs](https://x.org)\n\u202Efdp.exe')).toBe(
      'Ship it docs fdp.exe',
    );
  });
});
