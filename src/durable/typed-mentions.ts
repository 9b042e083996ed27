/**
 * A mention typed by hand: `@username` written out rather than picked from the `@` list
 * (which sends `<@id>`, src/web/conversation/mentions.ts). The room turns it into the same
 * token when the username is exactly a member's (case aside), so `@bob` reaches Bob from any
 * client, as it would in Slack or Discord. Names with spaces, display names, and anything
 * in code stay as typed: only a picked mention can mean those without guessing.
 */
import { codePoints, LIMITS } from '../shared/limits';
import { usernameKey } from '../shared/api';

/**
 * `@name`, not inside a word, an e-mail address, a link (`/@name`) or a token (`<@id>`); the
 * name without a space.
 */
const TYPED = /(^|[^\p{L}\p{M}\p{Nd}_.@<\/:-])@([\p{L}\p{M}\p{Nd}_.-]{1,40})/gu;
/** Inline code and fenced code blocks, where `@name` is text. */
const CODE = /```[\s\S]*?```|`[^`\n]*`/g;

/** The name a typed `@name` gives, without the full stop or dash that may end a sentence. */
function nameOf(raw: string): string {
  return raw.replace(/[.-]+$/, '');
}

/** The keys of the usernames `text` types outside code, at most 20. */
export function typedNames(text: string): string[] {
  if (!text.includes('@')) return [];
  const keys = new Set<string>();
  for (const part of text.replace(CODE, ' ').matchAll(TYPED)) {
    const name = nameOf(part[2]!);
    if (name && name.toLowerCase() !== 'here') keys.add(usernameKey(name));
    if (keys.size >= 20) break;
  }
  return [...keys];
}

/**
 * `text` with each typed `@name` of a member of `roomId` as their `<@id>`. Unchanged when
 * nothing is typed (no D1 read) or when the tokens would make it longer than a message may be.
 */
export async function withTypedMentions(
  db: D1Database,
  roomId: string,
  text: string,
): Promise<string> {
  const keys = typedNames(text);
  if (keys.length === 0) return text;
  const { results } = await db
    .prepare(
      `SELECT u.id, u.username_key AS key FROM users u
       JOIN memberships m ON m.user_id = u.id AND m.room_id = ?1
       WHERE u.username_key IN (SELECT value FROM json_each(?2)) AND u.deleted_at IS NULL`,
    )
    .bind(roomId, JSON.stringify(keys))
    .all<{ id: string; key: string }>();
  if (results.length === 0) return text;
  const ids = new Map(results.map((r) => [r.key, r.id]));
  const encode = (plain: string) =>
    plain.replace(TYPED, (whole, before: string, raw: string) => {
      const name = nameOf(raw);
      const id = ids.get(usernameKey(name));
      return id ? `${before}<@${id}>${raw.slice(name.length)}` : whole;
    });
  // Code keeps its text: only the parts between code spans are encoded.
  let out = '';
  let at = 0;
  for (const code of text.matchAll(CODE)) {
    out += encode(text.slice(at, code.index)) + code[0];
    at = code.index + code[0].length;
  }
  out += encode(text.slice(at));
  return codePoints(out) <= LIMITS.messageChars ? out : text;
}
