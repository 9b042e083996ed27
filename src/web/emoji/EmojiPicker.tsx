/**
 * The full emoji picker (a chunk of its own with the dataset, src/web/emoji/load.ts): a
 * search box (names, keywords and shortcodes), the recently used ones, then every emoji by
 * group. Arrow keys move between emoji (↑/↓ by a row), Enter or a click picks, Escape
 * closes (the opener handles it), ↓ from the search goes to the first result.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { keepInView } from '../ui/keep-in-view';
import { searchCatalog, type Catalog, type EmojiEntry } from './catalog';

/** Emoji per row: the grid's CSS has the same number of columns. */
const COLUMNS = 8;

export interface EmojiPickerProps {
  /** What the picker is for, e.g. "Add a reaction". */
  label: string;
  onPick: (emoji: string) => void;
}

/**
 * What the picker needs from the first screen's code, handed in by LazyEmojiPicker so this
 * chunk imports none of it (a shared module would split the first screen into more chunks).
 */
export interface PickerServices {
  loadCatalog: () => Promise<Catalog>;
  recentEmoji: () => string[];
  rememberEmoji: (emoji: string) => void;
}

export function EmojiPicker(props: EmojiPickerProps & PickerServices) {
  const { label, onPick, loadCatalog, recentEmoji, rememberEmoji } = props;
  const catalog = useSignal<Catalog | null>(null);
  const failed = useSignal(false);
  const query = useSignal('');
  const grid = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const root = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => keepInView(root.current), []);
  useEffect(() => {
    loadCatalog().then(
      (c) => (catalog.value = c),
      () => (failed.value = true),
    );
    search.current?.focus();
  }, []);

  const sections = useMemo(
    () => buildSections(catalog.value, query.value, recentEmoji()),
    [catalog.value, query.value],
  );
  const total = sections.reduce((n, s) => n + s.entries.length, 0);

  function pick(emoji: string) {
    rememberEmoji(emoji);
    onPick(emoji);
  }

  /** Arrow keys, Home and End within the grid; ↑ from the first row goes back to the search. */
  function move(from: HTMLElement, key: string): boolean {
    const options = [...(grid.current?.querySelectorAll<HTMLElement>('.emoji-option') ?? [])];
    const i = options.indexOf(from);
    const steps: Record<string, number> = {
      ArrowLeft: i - 1,
      ArrowRight: i + 1,
      ArrowUp: i - COLUMNS,
      ArrowDown: i + COLUMNS,
      Home: 0,
      End: options.length - 1,
    };
    const to = steps[key];
    if (to === undefined) return false;
    if (to < 0 && key === 'ArrowUp') search.current?.focus();
    else options[Math.max(0, Math.min(options.length - 1, to))]?.focus();
    return true;
  }

  return (
    <div
      class="emoji-picker"
      role="dialog"
      aria-label={label}
      data-testid="emoji-picker"
      ref={root}
    >
      <input
        ref={search}
        type="search"
        class="emoji-search"
        data-testid="emoji-search"
        placeholder="Search emoji"
        aria-label="Search emoji"
        aria-controls="emoji-grid"
        value={query.value}
        onInput={(e) => (query.value = e.currentTarget.value)}
        onKeyDown={(e) => {
          const first = grid.current?.querySelector<HTMLElement>('.emoji-option');
          if (e.key === 'ArrowDown' && first) {
            e.preventDefault();
            first.focus();
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const top = sections[0]?.entries[0];
            if (top) pick(top.emoji);
          }
        }}
      />
      <p class="visually-hidden" role="status">
        {catalog.value ? (query.value ? `${total} emoji found` : '') : 'Loading emoji…'}
      </p>
      <div
        id="emoji-grid"
        class="emoji-grid-scroll"
        ref={grid}
        onKeyDown={(e) => {
          const target = e.target as HTMLElement;
          if (target.classList.contains('emoji-option') && move(target, e.key)) e.preventDefault();
        }}
      >
        {failed.value && <p class="form-error">Could not load the emoji. Check your connection.</p>}
        {!catalog.value && !failed.value && <p class="hint">Loading emoji…</p>}
        {catalog.value && total === 0 && <p class="hint">No emoji match “{query.value}”.</p>}
        {sections.map((s, si) => (
          <section key={s.title} aria-label={s.title}>
            <h3 class="emoji-group-title" aria-hidden="true">
              {s.title}
            </h3>
            <div class="emoji-grid" role="group" aria-label={s.title}>
              {s.entries.map((e, i) => (
                <button
                  key={e.emoji}
                  type="button"
                  class="emoji-option"
                  data-testid="emoji-option"
                  data-emoji={e.emoji}
                  // One tab stop for the whole grid; the arrows move within it.
                  tabIndex={si === 0 && i === 0 ? 0 : -1}
                  aria-label={e.label}
                  title={e.shortcodes[0] ? `${e.label} :${e.shortcodes[0]}:` : e.label}
                  onClick={() => pick(e.emoji)}
                >
                  {e.emoji}
                </button>
              ))}
            </div>
          </section>
        ))}
      </div>
    </div>
  );
}

interface Section {
  title: string;
  entries: EmojiEntry[];
}

function buildSections(catalog: Catalog | null, query: string, recentEmoji: string[]): Section[] {
  if (!catalog) return [];
  if (query.trim()) return [{ title: 'Results', entries: searchCatalog(catalog, query) }];
  const byEmoji = new Map(catalog.entries.map((e) => [e.emoji, e]));
  const recent = recentEmoji.map(
    (emoji) => byEmoji.get(emoji) ?? { emoji, label: emoji, terms: [], shortcodes: [], group: -1 },
  );
  const sections: Section[] = recent.length ? [{ title: 'Recently used', entries: recent }] : [];
  for (const g of catalog.groups) {
    const entries = catalog.entries.filter((e) => e.group === g.id);
    if (entries.length) sections.push({ title: g.label, entries });
  }
  return sections;
}
