/**
 * The messages pinned in a chat, kept in the room's own SQLite so a pin frame is judged
 * without a D1 read (repeats make no event, the limit holds). D1's `pins` table is the copy
 * the pinned list is read from (d1-notices.ts).
 */
import { LIMITS } from '../shared/limits';

export class Pins {
  constructor(private readonly sql: SqlStorage) {
    sql.exec('CREATE TABLE IF NOT EXISTS pins (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL)');
  }

  /** Pins or unpins `target`; whether that changed anything, or the chat holds too many. */
  set(target: number, on: boolean, now = Date.now()): 'changed' | 'unchanged' | 'too_many' {
    const pinned = this.sql.exec('SELECT 1 FROM pins WHERE seq = ?', target).toArray().length > 0;
    if (pinned === on) return 'unchanged';
    if (!on) {
      this.sql.exec('DELETE FROM pins WHERE seq = ?', target);
      return 'changed';
    }
    const [row] = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM pins').toArray();
    if ((row?.n ?? 0) >= LIMITS.pinsPerChat) return 'too_many';
    this.sql.exec('INSERT INTO pins (seq, at) VALUES (?, ?)', target, now);
    return 'changed';
  }

  /** A deleted message is no longer pinned; its delete event says so to every client. */
  drop(target: number): void {
    this.sql.exec('DELETE FROM pins WHERE seq = ?', target);
  }
}
