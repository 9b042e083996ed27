/**
 * Splits message text into plain text and links. Only http, https and mailto become links;
 * everything else (`javascript:`, `data:`…) stays text. The caller renders both as text nodes.
 */
export type Segment = { text: string; href?: string };

const CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"]+/gi;
const SAFE = new Set(['http:', 'https:', 'mailto:']);
// Punctuation that ends a sentence rather than the address.
const TRAILING = /[.,;:!?'"\]}]$/;

export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const candidate = trimEnd(match[0]);
    const href = safeHref(candidate);
    if (!href) continue;
    const start = match.index;
    if (start > at) out.push({ text: text.slice(at, start) });
    out.push({ text: candidate, href });
    at = start + candidate.length;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

/** Drops trailing punctuation, but keeps a `)` that closes one in the link: …/X_(y) */
function trimEnd(url: string): string {
  for (;;) {
    if (TRAILING.test(url)) url = url.slice(0, -1);
    else if (url.endsWith(')') && count(url, '(') < count(url, ')')) url = url.slice(0, -1);
    else return url;
  }
}

const count = (s: string, c: string) => s.split(c).length - 1;

function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return SAFE.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
