/** A reply's one-line quote of its original, as plain text (ReplyQuote.tsx, the composer). */
import { withNames } from '../../shared/mentions';
import { shownName } from '../../shared/profile';
import type { Message, UserRef } from '../../shared/protocol';

/** What the quote needs of the conversation's people: current names, names by id. */
interface People {
  current(user: UserRef): UserRef;
  nameOf(id: string): string;
}

const EXCERPT_CHARS = 80;

/** The original's author and opening words, as plain text (no Markdown). */
export function excerpt(conv: { names: People }, original: Message | undefined) {
  if (!original) return { who: null, text: 'an earlier message' };
  const who = shownName(conv.names.current(original.author));
  if (original.deleted) return { who, text: 'deleted message' };
  // Mentions by name, not as their `<@id>` tokens; cut between code points, never inside one.
  const flat = [...withNames(original.text, conv.names.nameOf, true).replace(/\s+/g, ' ').trim()];
  return {
    who,
    text: flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS).join('')}…` : flat.join(''),
  };
}
