/**
 * What a hub shard knows of its online users' attention settings (src/shared/attention.ts):
 * the levels they picked per chat and their "do not disturb", in its SQLite like
 * hub-interest.ts (loaded from D1 at a user's first tab, forgotten at their last, updated by
 * the Worker when they change). Each activity notice is then told, per reader, whether it
 * mentions them and whether it rings.
 */
import { defaultNotifyLevel, NOTIFY_LEVELS, rings, type NotifyLevel } from '../shared/attention';
import type { ActivityFrame } from '../shared/protocol';

export interface UserAttention {
  levels: { roomId: string; level: NotifyLevel }[];
  dndUntil: number | null;
}

const isLevel = (s: string): s is NotifyLevel => (NOTIFY_LEVELS as readonly string[]).includes(s);

/** The user's picked levels and DND, from D1 (one batch). */
export async function loadAttention(db: D1Database, userId: string): Promise<UserAttention> {
  const [levels, dnd] = await db.batch([
    db.prepare('SELECT room_id, level FROM notify_levels WHERE user_id = ?').bind(userId),
    db.prepare('SELECT until FROM do_not_disturb WHERE user_id = ?').bind(userId),
  ]);
  return {
    levels: (levels!.results as { room_id: string; level: string }[])
      .filter((r) => isLevel(r.level))
      .map((r) => ({ roomId: r.room_id, level: r.level as NotifyLevel })),
    dndUntil: (dnd!.results[0] as { until: number } | undefined)?.until ?? null,
  };
}

export class Attention {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS notify_levels (
      room_id TEXT NOT NULL, user_id TEXT NOT NULL, level TEXT NOT NULL,
      PRIMARY KEY (room_id, user_id))`);
    sql.exec('CREATE INDEX IF NOT EXISTS notify_levels_user ON notify_levels (user_id)');
    sql.exec('CREATE TABLE IF NOT EXISTS dnd (user_id TEXT PRIMARY KEY, until INTEGER NOT NULL)');
  }

  remember(userId: string, attention: UserAttention): void {
    this.forget(userId);
    for (const { roomId, level } of attention.levels) this.setLevel(userId, roomId, level);
    this.setDnd(userId, attention.dndUntil);
  }

  forget(userId: string): void {
    this.sql.exec('DELETE FROM notify_levels WHERE user_id = ?', userId);
    this.sql.exec('DELETE FROM dnd WHERE user_id = ?', userId);
  }

  setLevel(userId: string, roomId: string, level: NotifyLevel): void {
    this.sql.exec(
      'INSERT OR REPLACE INTO notify_levels (room_id, user_id, level) VALUES (?, ?, ?)',
      roomId,
      userId,
      level,
    );
  }

  setDnd(userId: string, until: number | null): void {
    if (until === null) this.sql.exec('DELETE FROM dnd WHERE user_id = ?', userId);
    else this.sql.exec('INSERT OR REPLACE INTO dnd (user_id, until) VALUES (?, ?)', userId, until);
  }

  /**
   * One notice as each of `readers` should get it: `mentionsYou` (named by id, or reached by
   * `@here`: `here` lists who was online in the room then), their level, and `alert`.
   * Two statements per notice whatever the number of readers.
   */
  forReaders(
    frame: ActivityFrame,
    readers: string[],
    here: ReadonlySet<string>,
    now: number,
  ): Map<string, ActivityFrame> {
    const picked = new Map(
      this.sql
        .exec<{ user_id: string; level: string }>(
          'SELECT user_id, level FROM notify_levels WHERE room_id = ?',
          frame.roomId,
        )
        .toArray()
        .map((r) => [r.user_id, r.level as NotifyLevel]),
    );
    const dnd = new Map(
      this.sql
        .exec<{ user_id: string; until: number }>(
          'SELECT user_id, until FROM dnd WHERE until > ?',
          now,
        )
        .toArray()
        .map((r) => [r.user_id, r.until]),
    );
    const named = new Set(frame.mentioned ?? []);
    const out = new Map<string, ActivityFrame>();
    for (const id of readers) {
      const own = frame.last?.author.id === id;
      const mentionsYou = !own && (named.has(id) || (frame.kind !== 'dm' && here.has(id)));
      const level = picked.get(id) ?? defaultNotifyLevel(frame.kind);
      // Edits and deletes alone (`count` 0) ring only for a mention an edit added.
      const alert =
        !own &&
        (frame.count > 0 || mentionsYou) &&
        rings(level, mentionsYou, dnd.get(id) ?? null, now);
      out.set(id, { ...frame, mentionsYou, level, alert });
    }
    return out;
  }
}
