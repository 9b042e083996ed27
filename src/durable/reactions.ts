/**
 * Who reacted with what, in the room's own SQLite: what makes a reaction idempotent per user
 * and emoji (a repeat is no event at all) and caps the different emoji on one message. Every
 * reaction passes through the room, so this table is complete; D1 gets its copy through the
 * event log like every other change (d1-sync.ts).
 */
import { LIMITS } from '../shared/limits';

export type ReactionChange = 'changed' | 'unchanged' | 'too_many';

export class Reactions {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS reactions (
      target INTEGER NOT NULL, emoji TEXT NOT NULL, user_id TEXT NOT NULL,
      PRIMARY KEY (target, emoji, user_id))`);
  }

  /** Records `userId`'s reaction on `target` as `on`, if that changes anything and fits. */
  set(target: number, emoji: string, userId: string, on: boolean): ReactionChange {
    if (!on) {
      const removed = this.sql.exec(
        'DELETE FROM reactions WHERE target = ? AND emoji = ? AND user_id = ?',
        target,
        emoji,
        userId,
      ).rowsWritten;
      return removed > 0 ? 'changed' : 'unchanged';
    }
    const kinds = this.sql
      .exec<{ emoji: string }>('SELECT DISTINCT emoji FROM reactions WHERE target = ?', target)
      .toArray()
      .map((r) => r.emoji);
    if (!kinds.includes(emoji) && kinds.length >= LIMITS.reactionsPerMessage) return 'too_many';
    const added = this.sql.exec(
      'INSERT OR IGNORE INTO reactions (target, emoji, user_id) VALUES (?, ?, ?)',
      target,
      emoji,
      userId,
    ).rowsWritten;
    return added > 0 ? 'changed' : 'unchanged';
  }

  /** Every reaction `userId` holds here (a deleted account's, to take back). */
  of(userId: string): { target: number; emoji: string }[] {
    return this.sql
      .exec<{ target: number; emoji: string }>(
        'SELECT target, emoji FROM reactions WHERE user_id = ? ORDER BY target, emoji',
        userId,
      )
      .toArray();
  }
}
