/**
 * Which addresses in message text may become links: only http, https and mailto; everything
 * else (`javascript:`, `data:`…) stays text. The renderer builds link elements from the
 * result, never HTML.
 */
const SAFE = new Set(['http:', 'https:', 'mailto:']);
// Punctuation that ends a sentence rather than the address.
const TRAILING = /[.,;:!?'"\]}*_~]$/;

/** Drops trailing punctuation, but keeps a `)` that closes one in the link: …/X_(y) */
export function trimEnd(url: string): string {
  for (;;) {
    if (TRAILING.test(url)) url = url.slice(0, -1);
    else if (url.endsWith(')') && count(url, '(') < count(url, ')')) url = url.slice(0, -1);
    else return url;
  }
}

const count = (s: string, c: string) => s.split(c).length - 1;

/** The normalized address if it is http, https or mailto; null for anything else. */
export function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return SAFE.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
