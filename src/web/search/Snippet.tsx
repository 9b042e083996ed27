/** A result's snippet: the text as text nodes, the matching words as `<mark>` elements. */
import type { SearchSnippet } from '../../shared/search';
import { unmark } from '../conversation/unmark';
import { withShortcodes } from '../emoji/load';

export function Snippet({ snippet: raw }: { snippet: SearchSnippet }) {
  // As the message reads (no Markdown markers), the highlights moved with their words.
  const { text, ranges } = unmark(raw.text, raw.highlights);
  const snippet = { ...raw, text, highlights: ranges };
  const parts: preact.ComponentChild[] = [];
  let at = 0;
  for (const { start, end } of snippet.highlights) {
    if (start < at || end > snippet.text.length) continue; // never trust offsets blindly
    if (start > at) parts.push(withShortcodes(snippet.text.slice(at, start)));
    parts.push(<mark key={start}>{withShortcodes(snippet.text.slice(start, end))}</mark>);
    at = end;
  }
  // `:name:` as its emoji, as the message shows it (one a highlight cuts stays as typed).
  parts.push(withShortcodes(snippet.text.slice(at)));
  return (
    <bdi class="search-snippet">
      {snippet.cutStart && '…'}
      {parts}
      {snippet.cutEnd && '…'}
    </bdi>
  );
}
