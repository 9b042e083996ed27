/**
 * Words as the search index sees them. The index uses SQLite's `unicode61` tokenizer with
 * `remove_diacritics 2`: a token is a run of letters, digits and marks, compared case- and
 * accent-insensitively. These functions mirror that in JavaScript, for building queries and
 * for finding the words to highlight in a result.
 */

const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
const MARKS = /\p{M}/gu;

export interface WordAt {
  start: number;
  end: number;
  /** The word as written. */
  text: string;
  /** The word folded: no case, no diacritics. */
  key: string;
}

/** The folded form two words share when the index treats them as equal. */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(MARKS, '').toLowerCase();
}

/** Every word of `text` with its offsets (UTF-16 code units). */
export function wordsOf(text: string): WordAt[] {
  const words: WordAt[] = [];
  for (const m of text.matchAll(WORD)) {
    const key = foldWord(m[0]);
    if (key) words.push({ start: m.index, end: m.index + m[0].length, text: m[0], key });
  }
  return words;
}

/**
 * The tokens of a term as written, in order. The index folds them itself; folding here too
 * could strip marks that are letters' vowel signs in some scripts.
 */
export function tokensOf(term: string): string[] {
  return wordsOf(term).map((w) => w.text);
}
