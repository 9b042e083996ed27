/**
 * What a hub shard knows of its online users' attention settings (src/shared/attention.ts):
 * the levels they picked per chat and their "do not disturb", in its SQLite like
 * hub-interest.ts, and whom they block (loaded from D1 at a user's first tab, forgotten at
 * their last, updated by the Worker when they change). Each activity notice is then told, per
 * reader, whether it mentions them (someone they do not block named them) and whether it rings.
 */
import { defaultNotifyLevel, NOTIFY_LEVELS, rings, type NotifyLevel } from '../shared/attention';
import type { ActivityFrame } from '../shared/protocol';

export interface UserAttention {
  levels: { roomId: string; level: NotifyLevel }[];
  dndUntil: number | null;
  /** The people they block (src/worker/blocks.ts). */
  blocked: string[];
}

const isLevel = (s: string): s is NotifyLevel => (NOTIFY_LEVELS as readonly string[]).includes(s);

/** The user's picked levels, DND and blocks, from D1 (one batch). */
export async function loadAttention(db: D1Database, userId: string): Promise<UserAttention> {
  const [levels, dnd, blocked] = await db.batch([
    db.prepare('SELECT room_id, level FROM notify_levels WHERE user_id = ?').bind(userId),
    db.prepare('SELECT until FROM do_not_disturb WHERE user_id = ?').bind(userId),
    db.prepare('SELECT blocked_id FROM blocks WHERE user_id = ?').bind(userId),
  ]);
  return {
    levels: (levels!.results as { room_id: string; level: string }[])
      .filter((r) => isLevel(r.level))
      .map((r) => ({ roomId: r.room_id, level: r.level as NotifyLevel })),
    dndUntil: (dnd!.results[0] as { until: number } | undefined)?.until ?? null,
    blocked: (blocked!.results as { blocked_id: string }[]).map((r) => r.blocked_id),
  };
}

export class Attention {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS notify_levels (
      room_id TEXT NOT NULL, user_id TEXT NOT NULL, level TEXT NOT NULL,
      PRIMARY KEY (room_id, user_id))`);
    sql.exec('CREATE INDEX IF NOT EXISTS notify_levels_user ON notify_levels (user_id)');
    sql.exec('CREATE TABLE IF NOT EXISTS dnd (user_id TEXT PRIMARY KEY, until INTEGER NOT NULL)');
    sql.exec(`CREATE TABLE IF NOT EXISTS blocks (
      user_id TEXT NOT NULL, blocked_id TEXT NOT NULL, PRIMARY KEY (user_id, blocked_id))`);
  }

  remember(userId: string, attention: UserAttention): void {
    this.forget(userId);
    for (const { roomId, level } of attention.levels) this.setLevel(userId, roomId, level);
    this.setDnd(userId, attention.dndUntil);
    for (const id of attention.blocked) this.setBlocked(userId, id, true);
  }

  forget(userId: string): void {
    this.sql.exec('DELETE FROM notify_levels WHERE user_id = ?', userId);
    this.sql.exec('DELETE FROM dnd WHERE user_id = ?', userId);
    this.sql.exec('DELETE FROM blocks WHERE user_id = ?', userId);
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

  setBlocked(userId: string, blockedId: string, on: boolean): void {
    if (on)
      this.sql.exec(
        'INSERT OR IGNORE INTO blocks (user_id, blocked_id) VALUES (?, ?)',
        userId,
        blockedId,
      );
    else
      this.sql.exec('DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?', userId, blockedId);
  }

  /**
   * One notice as each of `readers` should get it: `mentionsYou` (someone they do not block
   * named them by id, or reached them by `@here` while they had the room open: `mentions`
   * lists each such reader with an author), their level, and `alert`. Two statements per
   * notice whatever the number of readers, and one per reader a mention names.
   */
  forReaders(
    frame: ActivityFrame,
    readers: string[],
    mentions: readonly (readonly [reader: string, author: string])[],
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
    const authors = new Map<string, Set<string>>();
    for (const [reader, author] of mentions)
      if (reader !== author) authors.set(reader, (authors.get(reader) ?? new Set()).add(author));
    const out = new Map<string, ActivityFrame>();
    for (const id of readers) {
      const own = frame.last?.author.id === id;
      const mentionsYou = !own && this.heardFrom(id, authors.get(id));
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

  /** Whether any of `authors` is someone `userId` does not block. */
  private heardFrom(userId: string, authors: ReadonlySet<string> | undefined): boolean {
    if (!authors) return false;
    const blocked = this.sql
      .exec<{ blocked_id: string }>('SELECT blocked_id FROM blocks WHERE user_id = ?', userId)
      .toArray();
    return authors.size > blocked.filter((r) => authors.has(r.blocked_id)).length;
  }
}
