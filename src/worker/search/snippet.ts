/**
 * A result's snippet: the message text around its first matching word, with every matching
 * word in it as offsets. Offsets, never markup: the client builds elements from them.
 */
import { SEARCH_LIMITS, type SearchSnippet } from '../../shared/search';
import { wordsOf } from './words';

// How much of the snippet comes before the first match.
const LEAD = 40;

/** Moves `i` off the middle of a surrogate pair, towards `dir`. */
function onCodePoint(text: string, i: number, dir: -1 | 1): number {
  const unit = text.charCodeAt(i);
  return i > 0 && i < text.length && unit >= 0xdc00 && unit <= 0xdfff ? i + dir : i;
}

/** Widens a cut to the nearest space within a few characters, so words stay whole. */
function atSpace(text: string, i: number, dir: -1 | 1): number {
  for (let k = 0; k < 12; k += 1) {
    const j = i + dir * k;
    if (j <= 0 || j >= text.length) return Math.max(0, Math.min(text.length, j));
    if (/\s/.test(text[j]!)) return dir < 0 ? j + 1 : j;
  }
  return onCodePoint(text, i, dir);
}

/** The snippet of `text` for the words whose folded form `matches`. */
export function snippetOf(text: string, matches: (key: string) => boolean): SearchSnippet {
  const hits = wordsOf(text).filter((w) => matches(w.key));
  const size = SEARCH_LIMITS.snippetChars;
  let start = 0;
  let end = text.length;
  if (text.length > size) {
    const first = hits[0]?.start ?? 0;
    start = first - LEAD > 0 ? atSpace(text, first - LEAD, -1) : 0;
    end = Math.min(text.length, start + size);
    if (end < text.length) end = atSpace(text, end, 1);
  }
  return {
    text: text.slice(start, end),
    highlights: hits
      .filter((w) => w.start >= start && w.end <= end)
      .map((w) => ({ start: w.start - start, end: w.end - start })),
    cutStart: start > 0,
    cutEnd: end < text.length,
  };
}
