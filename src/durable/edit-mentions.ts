/**
 * Who a message mentioned before an edit, so the edit's activity notice names only the
 * people it adds (they are told as for a new mention; the others are not told again).
 */
import { mentionsIn } from '../shared/mentions';

/** The message's text now: from the log (its row or its edits'), else from D1. */
export async function mentionsBeforeEdit(
  sql: SqlStorage,
  db: D1Database,
  roomId: string,
  target: number,
): Promise<string[]> {
  const [row] = sql
    .exec<{ text: string | null }>(
      `SELECT text FROM events WHERE (type = 'message' AND seq = ?1) OR (type = 'edit' AND target = ?1)
       ORDER BY seq DESC LIMIT 1`,
      target,
    )
    .toArray();
  const text =
    row?.text ??
    (
      await db
        .prepare('SELECT text FROM messages WHERE room_id = ? AND seq = ?')
        .bind(roomId, target)
        .first<{ text: string }>()
    )?.text ??
    '';
  return mentionsIn(text);
}

/**
 * The ids an edit to `text` adds, not counting `@here` (it reaches who had the room open at
 * the send only, recorded then) nor its author.
 */
export function addedMentions(text: string, before: string[], authorId: string): string[] {
  return mentionsIn(text).filter((id) => id !== 'here' && id !== authorId && !before.includes(id));
}
