/** GitHub's shortcodes (as in Slack and GitHub: `:tada:`, `:+1:`) → emoji. Loaded on demand. */
import github from 'emojibase-data/en/shortcodes/github.json';

/** `asRgi` comes from load.ts: this chunk imports nothing of the first screen's code. */
export function buildShortcodes(asRgi: (text: string) => string | null): Map<string, string> {
  const map = new Map<string, string>();
  for (const [hexcode, names] of Object.entries(github)) {
    const emoji = asRgi(String.fromCodePoint(...hexcode.split('-').map((h) => parseInt(h, 16))));
    if (!emoji) continue; // not an emoji this browser knows as one (too new, or a part)
    for (const name of Array.isArray(names) ? names : [names]) map.set(name, emoji);
  }
  return map;
}
