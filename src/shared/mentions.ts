/**
 * Mentions are stored in the message text as tokens naming a user by id, `<@id>`, or
 * `<@here>` (everyone in the chat who is online). The id is what counts: a rename changes
 * the name every client shows, never whom a message mentioned.
 */

/** One token; ids are UUIDs or the like. */
export const MENTION = /<@(here|[A-Za-z0-9-]{1,64})>/g;

/** The distinct ids (and `here`) a text mentions, at most `max`. */
export function mentionsIn(text: string, max = 50): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    found.add(match[1]!);
    if (found.size >= max) break;
  }
  return [...found];
}

/**
 * The text with each token as `@name` (previews, notifications, screen-reader announcements).
 * `isolate`: each name between FSI and PDI, so a right-to-left name does not reorder the text
 * around it where the text is shown as one string (the chat list's preview, a reply's quote).
 */
export function withNames(text: string, nameOf: (id: string) => string, isolate = false): string {
  return text.replace(MENTION, (_, id: string) => {
    const name = id === 'here' ? '@here' : `@${nameOf(id)}`;
    return isolate ? `\u2068${name}\u2069` : name;
  });
}
