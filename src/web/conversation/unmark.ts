import { withNames } from '../../shared/mentions';
import { withShortcodes } from '../emoji/load';

/**
 * Text as its message reads, without Markdown's markers: "bold", not "**bold**"; a link's (or
 * image's) text, not its address; a code block's code, not its fences. `ranges` (offsets in
 * UTF-16 units: a search snippet's highlights) move with the text they mark; one that was all
 * marker, or out of range, is dropped. A marker without its pair (cut off) stays as typed, and
 * bidi overrides go (OVERRIDES).
 * Chat-list previews (chats/rows.ts) and search snippets (search/Snippet.tsx) read this.
 */
export interface Range {
  start: number;
  end: number;
}

/**
 * Left-to-right and right-to-left overrides (U+202D, U+202E): they reorder what follows ("exe.pdf"
 * shown for "fdp.exe"), and a message never needs them (each line finds its own direction).
 * Dropped wherever a message is shown, as the message itself (markdown.ts) drops them.
 */
export const OVERRIDES = /[\u202D\u202E]/g;
const FENCE = /^ {0,3}(?:`{3,}|~{3,}).*$/gm;
const LINK = /!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\)/g;
const PAIR = /(\*\*|__|~~|`+|\|\|)(?=\S)[^]*?\S\1/g;
/** `*italic*` and `_italic_`, not inside a word (snake_case_name keeps its underscores). */
const EM = /(?<![\p{L}\p{N}_*\\])([*_])(?=[^\s*_])[^]*?[^\s\\]\1(?![\p{L}\p{N}_*])/gu;

export function unmark(text: string, ranges: readonly Range[] = []) {
  const dropped = new Uint8Array(text.length);
  const drop = (from: number, to: number) => dropped.fill(1, from, to);
  for (const m of text.matchAll(OVERRIDES)) drop(m.index, m.index + 1);
  for (let i = text.indexOf('\\'); i >= 0; i = text.indexOf('\\', i + 2)) {
    if (/[^0-9A-Za-z\s]/.test(text[i + 1] ?? 'a')) drop(i, i + 1);
  }
  for (const m of text.matchAll(FENCE)) drop(m.index, m.index + m[0].length);
  for (const m of text.matchAll(LINK)) {
    const open = m[0].startsWith('!') ? 2 : 1;
    drop(m.index, m.index + open);
    drop(m.index + open + m[1]!.length, m.index + m[0].length);
  }
  for (const pattern of [PAIR, EM]) {
    for (const m of text.matchAll(pattern)) {
      if (dropped[m.index]) continue; // part of a pair already taken (`**`)
      const end = m.index + m[0].length;
      drop(m.index, m.index + m[1]!.length);
      drop(end - m[1]!.length, end);
    }
  }
  // Where each offset of the text lands in what is kept.
  const at = new Uint32Array(text.length + 1);
  let kept = '';
  for (let i = 0; i < text.length; i += 1) {
    at[i] = kept.length;
    if (!dropped[i]) kept += text[i];
  }
  at[text.length] = kept.length;
  const moved = ranges
    .filter(({ start, end }) => start >= 0 && start < end && end <= text.length)
    .map(({ start, end }) => ({ start: at[start]!, end: at[end]! }))
    .filter(({ start, end }) => start < end);
  return { text: kept, ranges: moved };
}

/**
 * A message as one line of plain text (chat-list previews, desktop notifications): without
 * Markdown's markers (`**bold**` reads "bold", a link its text), quote and list marks, or
 * bidi overrides.
 */
export function plainText(text: string): string {
  return unmark(text)
    .text.replace(/^\s*(>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A stored message as people read it on one line (chat-list previews, notifications, the
 * widget's preview): mentions as names (`isolate`: each in its own direction run), no
 * Markdown, `:shortcodes:` as their emoji once those are loaded.
 */
export function messageLine(text: string, nameOf: (id: string) => string, isolate = false) {
  return withShortcodes(plainText(withNames(text, nameOf, isolate)));
}
