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

/** The text with each token as `@name` (previews, notifications, screen-reader announcements). */
export function withNames(text: string, nameOf: (id: string) => string): string {
  return text.replace(MENTION, (_, id: string) => (id === 'here' ? '@here' : `@${nameOf(id)}`));
}
