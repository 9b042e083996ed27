/**
 * Mentions as the composer and the edit box write them: a picked `@name` becomes `<@id>` when
 * the message is sent, so the mention follows the person, not the name. (The `@` list that
 * picks them is mention-picker.ts, loaded with the composer's lists; a member's `@username`
 * typed by hand is made a token by the room, src/durable/typed-mentions.ts.)
 */
import { mentionsIn, withNames } from '../../shared/mentions';

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
