/**
 * The composer's `@` autocomplete: the word being typed after `@`, the chat's members who
 * match it (asked of the server, the latest answer wins), which one is active, and what a
 * pick puts in the text. A picked `@name` becomes `<@id>` when the message is sent, so the
 * mention follows the person, not the name.
 */
import { mentionsIn, withNames } from '../../shared/mentions';
import type { UserRef } from '../../shared/protocol';
import { createCompleter } from '../ui/completer';

/** `@` and up to 32 name characters right before the caret, at a word start. */
const TYPING = /(^|\s)@([\p{L}\p{N}_.-]{0,32})$/u;

export function createMentionPicker(search: (q: string) => Promise<UserRef[]>, allowHere: boolean) {
  /** `@name` text → id, for names picked in this draft. */
  const picked = new Map<string, string>();
  const list = createCompleter<UserRef | 'here'>({
    typing: TYPING,
    async find(q) {
      let found: UserRef[] = [];
      try {
        found = await search(q);
      } catch {
        // Offline or refused: no suggestions, the text stays as typed.
      }
      const here = allowHere && 'here'.startsWith(q.toLowerCase()) ? (['here'] as const) : [];
      return [...here, ...found];
    },
    insert: (option) => `@${option === 'here' ? 'here' : option.name} `,
  });

  return {
    ...list,
    /** The text with the `@partial` before the caret replaced by the active option. */
    pick(text: string, caret: number): { text: string; caret: number } | null {
      const next = list.pick(text, caret);
      if (!next) return null;
      if (next.option !== 'here') picked.set(`@${next.option.name}`, next.option.id);
      return { text: next.text, caret: next.caret };
    },
    /** The text to send: each picked `@name` (and `@here` where allowed) as its token. */
    encode: (text: string) => encodeMentions(text, picked, allowHere),
    /** A new draft: forget what was picked. */
    reset() {
      picked.clear();
      list.close();
    },
  };
}

export type MentionPicker = ReturnType<typeof createMentionPicker>;

/** `text` with each `@name` of `picked` (name → id), and `@here` where allowed, as tokens. */
export function encodeMentions(
  text: string,
  picked: ReadonlyMap<string, string>,
  allowHere: boolean,
): string {
  let out = text;
  // Longest first, so `@ann` never eats the start of `@anna`.
  for (const [name, id] of [...picked].sort((a, b) => b[0].length - a[0].length)) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(
      new RegExp(`(^|[^\\p{L}\\p{N}_.-])${escaped}(?![\\p{L}\\p{N}_-])`, 'gu'),
      `$1<@${id}>`,
    );
  }
  if (allowHere) out = out.replace(/(^|\s)@here\b/g, '$1<@here>');
  return out;
}

/**
 * A message's text for its edit box: each `<@id>` as `@name` (current names), as the
 * composer shows them, and the way back to tokens on save for the same people.
 */
export function editableText(text: string, nameOf: (id: string) => string, allowHere: boolean) {
  // Display names are not unique (and a name not loaded yet shows as a placeholder): each
  // person gets a label of their own, `@Alex`, then `@Alex (2)`, or saving would give
  // every `@Alex` to the same one of them.
  const picked = new Map<string, string>();
  const labels = new Map<string, string>();
  for (const id of mentionsIn(text, Infinity)) {
    if (id === 'here') continue;
    const name = nameOf(id);
    let label = name;
    for (let n = 2; picked.has(`@${label}`); n += 1) label = `${name} (${n})`;
    picked.set(`@${label}`, id);
    labels.set(id, label);
  }
  return {
    text: withNames(text, (id) => labels.get(id) ?? nameOf(id)),
    encode: (edited: string) => encodeMentions(edited, picked, allowHere),
  };
}
