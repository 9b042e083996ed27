/**
 * Emoji data, loaded only when needed: the emojibase dataset (emojibase-data, ~90 KB gzip
 * with its GitHub shortcodes) is a chunk of its own, fetched when a picker opens; the
 * shortcodes alone (~15 KB) when a message or the composer has a `:name:`. The first screen
 * carries none of it (scripts/check-budgets.mjs).
 */
import { signal } from '@preact/signals';
import { emoji as emojiSchema } from '../../shared/protocol';
import type { Catalog } from './catalog';

/** Shortcode (`tada`) → emoji, once loaded. */
export const shortcodes = signal<ReadonlyMap<string, string> | null>(null);

let loadingShortcodes: Promise<ReadonlyMap<string, string>> | null = null;
let loadingCatalog: Promise<Catalog> | null = null;

export function loadShortcodes(): Promise<ReadonlyMap<string, string>> {
  loadingShortcodes ??= import('./shortcodes').then(({ buildShortcodes }) => {
    const map = buildShortcodes(asRgi);
    shortcodes.value = map;
    return map;
  });
  loadingShortcodes.catch(() => (loadingShortcodes = null)); // offline: try again next time
  return loadingShortcodes;
}

/** `:name:` anywhere in a text (the same names markdown.ts reads as shortcodes). */
export const SHORTCODES = /:([a-z0-9_+-]{1,40}):/g;

/**
 * `text` with its `:name:` shortcodes as their emoji, as a message shows them (chat-list
 * previews, notifications). Before the shortcodes are loaded the text stays as typed and the
 * load starts; read in a render, the `shortcodes` signal then draws it again.
 */
export function withShortcodes(text: string): string {
  if (!text.includes(':')) return text;
  const map = shortcodes.value;
  if (!map) {
    if (SHORTCODES.test(text)) void loadShortcodes().catch(() => undefined);
    SHORTCODES.lastIndex = 0;
    return text;
  }
  return text.replace(SHORTCODES, (typed, name: string) => map.get(name) ?? typed);
}

export function loadCatalog(): Promise<Catalog> {
  loadingCatalog ??= import('./catalog').then(({ buildCatalog }) => buildCatalog(asRgi));
  loadingCatalog.catch(() => (loadingCatalog = null));
  return loadingCatalog;
}

/**
 * The form of `text` the server takes as a reaction (one RGI emoji), or null. Datasets spell
 * some with a variation selector the RGI set does not (`👍️`), some without one it needs (`☀`).
 */
export function asRgi(text: string): string | null {
  for (const candidate of [text, text.replace(/\uFE0F/g, ''), `${text}\uFE0F`]) {
    if (emojiSchema.safeParse(candidate).success) return candidate;
  }
  return null;
}
