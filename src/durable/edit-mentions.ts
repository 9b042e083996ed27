/**
 * Who a message mentioned before an edit, so the edit's activity notice names only the
 * people it adds (they are told as for a new mention; the others are not told again).
 */
import { mentionsIn } from '../shared/mentions';

/**
 * The message's mentions now: its text from the log (its row or its last edit's), else
 * `stored`, the text D1 gave when the room checked the edit (Room.messageState).
 */
export function mentionsBeforeEdit(sql: SqlStorage, target: number, stored = ''): string[] {
  const [row] = sql
    .exec<{ text: string | null }>(
      `SELECT text FROM events WHERE (type = 'message' AND seq = ?1) OR (type = 'edit' AND target = ?1)
       ORDER BY seq DESC LIMIT 1`,
      target,
    )
    .toArray();
  return mentionsIn(row?.text ?? stored);
}

/**
 * The ids an edit to `text` adds, not counting `@here` (it reaches who had the room open at
 * the send only, recorded then) nor its author.
 */
export function addedMentions(text: string, before: string[], authorId: string): string[] {
  return mentionsIn(text).filter((id) => id !== 'here' && id !== authorId && !before.includes(id));
}
