/** A result's snippet: the text as text nodes, the matching words as `<mark>` elements. */
import type { SearchSnippet } from '../../shared/search';
import { unmark } from '../conversation/unmark';

export function Snippet({ snippet: raw }: { snippet: SearchSnippet }) {
  // As the message reads (no Markdown markers), the highlights moved with their words.
  const { text, ranges } = unmark(raw.text, raw.highlights);
  const snippet = { ...raw, text, highlights: ranges };
  const parts: preact.ComponentChild[] = [];
  let at = 0;
  for (const { start, end } of snippet.highlights) {
    if (start < at || end > snippet.text.length) continue; // never trust offsets blindly
    if (start > at) parts.push(snippet.text.slice(at, start));
    parts.push(<mark key={start}>{snippet.text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(snippet.text.slice(at));
  return (
    <bdi class="search-snippet">
      {snippet.cutStart && '…'}
      {parts}
      {snippet.cutEnd && '…'}
    </bdi>
  );
}
