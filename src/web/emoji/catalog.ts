/**
 * The picker's emoji: every emoji of the emojibase dataset this browser accepts as one RGI
 * emoji, in Unicode's order, with its name, keywords and shortcodes for search. Loaded on
 * demand with the picker.
 */
import data from 'emojibase-data/en/compact.json';
import github from 'emojibase-data/en/shortcodes/github.json';
import messages from 'emojibase-data/en/messages.json';

export interface EmojiEntry {
  emoji: string;
  label: string;
  /** Lower-case words searched: the name's, the keywords, the shortcodes. */
  terms: string[];
  shortcodes: string[];
  group: number;
}

export interface Catalog {
  entries: EmojiEntry[];
  groups: { id: number; label: string }[];
}

// Group 2 is "components" (skin tones, hair): parts, not emoji to pick.
const COMPONENTS = 2;

/** `asRgi` comes from load.ts: this chunk imports nothing of the first screen's code. */
export function buildCatalog(asRgi: (text: string) => string | null): Catalog {
  const entries: EmojiEntry[] = [];
  for (const e of data) {
    if (e.group === undefined || e.group === COMPONENTS) continue;
    const emoji = asRgi(e.unicode);
    if (!emoji) continue;
    const codes = github[e.hexcode];
    const shortcodes = codes === undefined ? [] : Array.isArray(codes) ? codes : [codes];
    const terms = [...e.label.toLowerCase().split(/[\s:,]+/), ...(e.tags ?? []), ...shortcodes];
    entries.push({ emoji, label: e.label, terms, shortcodes, group: e.group });
  }
  const groups = messages.groups
    .filter((g) => g.order !== COMPONENTS)
    .map((g) => ({ id: g.order, label: g.message.replace(/^./, (c) => c.toUpperCase()) }));
  return { entries, groups };
}

/** Entries matching every word of `query` (a prefix of one of their terms), best first. */
export function searchCatalog(catalog: Catalog, query: string, limit = 200): EmojiEntry[] {
  const words = query.toLowerCase().replace(/:/g, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const scored: { entry: EmojiEntry; score: number }[] = [];
  for (const entry of catalog.entries) {
    let score = 0;
    let all = true;
    for (const w of words) {
      const exact = entry.terms.includes(w);
      if (!exact && !entry.terms.some((t) => t.startsWith(w))) {
        all = false;
        break;
      }
      score += exact ? 2 : 1;
    }
    if (all) scored.push({ entry, score });
  }
  // Stable: equal scores keep Unicode's order.
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((s) => s.entry);
}
