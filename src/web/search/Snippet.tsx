/** A result's snippet: the text as text nodes, the matching words as `<mark>` elements. */
import type { SearchSnippet } from '../../shared/search';
import { unmarkSnippet } from './unmark';

export function Snippet({ snippet: raw }: { snippet: SearchSnippet }) {
  const snippet = unmarkSnippet(raw);
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
