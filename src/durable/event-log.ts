/**
 * The room's event log in the Durable Object's own SQLite: the outbox that makes a message
 * durable before it is acknowledged, the replay buffer for reconnecting clients, and the
 * idempotency record for `clientId`s. D1 receives the events later, in batches (d1-sync.ts).
 *
 * `seq` is assigned here synchronously, so every event of the room takes the next number in
 * one total order, whatever the interleaving of senders.
 */
import type { FileInfo } from '../shared/files';
import type { NoticeEvent, RoomNotice } from '../shared/moderation';
import type { Message, RoomEvent, UserRef } from '../shared/protocol';
import { markFields, markJson } from '../shared/user-mark';

export interface EventRow extends Record<string, SqlStorageValue> {
  seq: number;
  /**
   * `react`/`unreact`: a reaction added or removed (`text` holds the emoji). `notice`: a
   * join, leave or moderation action (author = who did it, `text` = the notice as JSON).
   * A `delete` whose `text` is `moderator` was a moderator's removal.
   */
  type: 'message' | 'edit' | 'delete' | 'react' | 'unreact' | 'notice';
  target: number | null;
  id: string | null;
  author_id: string | null;
  author_name: string | null;
  author_color: string | null;
  author_guest: number;
  /** A widget author's kind and site (markJson); null for accounts, guests and older rows. */
  author_mark: string | null;
  client_id: string | null;
  text: string | null;
  at: number;
  flushed: number;
  /** A message's reply target (added after the table: null in older rows). */
  reply_to: number | null;
  /** A message's attached files as JSON (FileInfo[]); null when none or once deleted. */
  files: string | null;
}

// How long a clientId is remembered for de-duplicating retries.
const CLIENT_ID_TTL_MS = 24 * 3600 * 1000;
// Expired client ids are swept at most this often: the sweep scans the table (no index on
// `at`, which would cost every message a second index write), so not on every D1 copy.
const CLIENT_ID_SWEEP_MS = 3600 * 1000;

export class EventLog {
  private seq: number;
  private sweptClientIdsAt = 0;

  constructor(
    private readonly sql: SqlStorage,
    private readonly roomId: () => string,
    /** Events kept after they reach D1, for replay. */
    private readonly retain: number,
  ) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        target INTEGER,
        id TEXT,
        author_id TEXT,
        author_name TEXT,
        author_color TEXT,
        author_guest INTEGER NOT NULL DEFAULT 0,
        client_id TEXT,
        text TEXT,
        at INTEGER NOT NULL,
        flushed INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS events_unflushed ON events (seq) WHERE flushed = 0;
      CREATE TABLE IF NOT EXISTS client_ids (
        author_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (author_id, client_id)
      );
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    // The last seq is the newest event's, or, if pruning removed every event, the one
    // recorded when pruning ran.
    // Rooms created before replies existed get the column now.
    const columns = sql.exec<{ name: string }>('PRAGMA table_info(events)').toArray();
    if (!columns.some((c) => c.name === 'reply_to')) {
      sql.exec('ALTER TABLE events ADD COLUMN reply_to INTEGER');
    }
    // And files, for rooms created before them.
    if (!columns.some((c) => c.name === 'files')) {
      sql.exec('ALTER TABLE events ADD COLUMN files TEXT');
    }
    // And widget authors' marks (visitor or identified), for rooms created before them.
    if (!columns.some((c) => c.name === 'author_mark')) {
      sql.exec('ALTER TABLE events ADD COLUMN author_mark TEXT');
    }
    const [row] = sql
      .exec<{ seq: number | null }>(
        `SELECT max(coalesce((SELECT max(seq) FROM events), 0),
                    coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_seq'), 0)) AS seq`,
      )
      .toArray();
    this.seq = row?.seq ?? 0;
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** The original acknowledgement of a message already stored under this clientId. */
  findByClientId(
    authorId: string,
    clientId: string,
  ): { seq: number; id: string; at: number } | null {
    const rows = this.sql
      .exec<{ seq: number; id: string; at: number }>(
        'SELECT seq, id, at FROM client_ids WHERE author_id = ? AND client_id = ?',
        authorId,
        clientId,
      )
      .toArray();
    return rows[0] ?? null;
  }

  appendMessage(
    author: UserRef,
    clientId: string,
    text: string,
    replyTo: number | null = null,
    files: FileInfo[] = [],
    now = Date.now(),
  ): Extract<RoomEvent, { type: 'message' }> {
    // The client id first: a second message under it (which the caller's check rules out)
    // fails here, before the event is written or the seq taken, so no seq is skipped.
    const seq = this.seq + 1;
    const id = crypto.randomUUID();
    this.sql.exec(
      'INSERT INTO client_ids (author_id, client_id, seq, id, at) VALUES (?, ?, ?, ?, ?)',
      author.id,
      clientId,
      seq,
      id,
      now,
    );
    this.next();
    this.sql.exec(
      `INSERT INTO events (seq, type, id, author_id, author_name, author_color, author_guest, author_mark, client_id, text, at, reply_to, files)
       VALUES (?, 'message', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      id,
      author.id,
      author.name,
      author.color,
      author.guest ? 1 : 0,
      markJson(author),
      clientId,
      text,
      now,
      replyTo,
      files.length ? JSON.stringify(files) : null,
    );
    const message: Message = {
      id,
      roomId: this.roomId(),
      seq,
      author,
      text,
      createdAt: now,
      editedAt: null,
      deleted: false,
      replyTo,
      reactions: [],
      ...(files.length > 0 && { files }),
    };
    return { type: 'message', seq, message };
  }

  /** A reaction added or removed (the caller checked it changes something). */
  appendReaction(
    user: UserRef,
    target: number,
    emoji: string,
    on: boolean,
    now = Date.now(),
  ): Extract<RoomEvent, { type: 'reaction' }> {
    const seq = this.next();
    this.sql.exec(
      `INSERT INTO events (seq, type, target, author_id, author_name, author_color, author_guest, author_mark, text, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      on ? 'react' : 'unreact',
      target,
      user.id,
      user.name,
      user.color,
      user.guest ? 1 : 0,
      markJson(user),
      emoji,
      now,
    );
    return { type: 'reaction', seq, target, emoji, user, on, at: now };
  }

  /**
   * An edit. The message's earlier texts leave the log (its stored copy and earlier edits
   * take the new text), so a replay never hands out a pre-edit text; the edit event stands.
   */
  appendEdit(author: UserRef, target: number, text: string, now = Date.now()): RoomEvent {
    this.rewriteText(target, text);
    const seq = this.next();
    this.sql.exec(
      `INSERT INTO events (seq, type, target, author_id, text, at) VALUES (?, 'edit', ?, ?, ?, ?)`,
      seq,
      target,
      author.id,
      text,
      now,
    );
    return { type: 'edit', seq, target, text, editedAt: now };
  }

  /**
   * A delete, by its author or (`removed`) a moderator. The message's text and its edits'
   * texts are blanked in the log (D1's by the sync), and its files are gone from its replay
   * (the room deleted them first).
   */
  appendDelete(author: UserRef, target: number, removed = false, now = Date.now()): RoomEvent {
    this.rewriteText(target, '');
    this.sql.exec(`UPDATE events SET files = NULL WHERE type = 'message' AND seq = ?`, target);
    const seq = this.next();
    this.sql.exec(
      `INSERT INTO events (seq, type, target, author_id, text, at) VALUES (?, 'delete', ?, ?, ?, ?)`,
      seq,
      target,
      author.id,
      removed ? 'moderator' : null,
      now,
    );
    return { type: 'delete', seq, target, deletedAt: now, ...(removed && { removed }) };
  }

  /** A join, leave or moderation action, in the room's order like any event. */
  appendNotice(notice: Omit<RoomNotice, 'at'>, now = Date.now()): NoticeEvent {
    const seq = this.next();
    const { actor, ...rest } = notice;
    this.sql.exec(
      `INSERT INTO events (seq, type, author_id, author_name, author_color, author_guest, author_mark, text, at)
       VALUES (?, 'notice', ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      actor?.id ?? null,
      actor?.name ?? null,
      actor?.color ?? null,
      actor?.guest ? 1 : 0,
      actor ? markJson(actor) : null,
      JSON.stringify(rest),
      now,
    );
    return { type: 'notice', seq, notice: { ...notice, at: now } };
  }

  private rewriteText(target: number, text: string): void {
    this.sql.exec(
      `UPDATE events SET text = ?
       WHERE (type = 'message' AND seq = ?) OR (type = 'edit' AND target = ?)`,
      text,
      target,
      target,
    );
  }

  /** A renamed author: replays carry the current name, resolved by id. */
  renameAuthor(user: UserRef): void {
    this.sql.exec(
      `UPDATE events SET author_name = ?, author_color = ?, author_guest = ?, author_mark = ?
       WHERE type IN ('message', 'react', 'unreact', 'notice') AND author_id = ?`,
      user.name,
      user.color,
      user.guest ? 1 : 0,
      markJson(user),
      user.id,
    );
  }

  /**
   * What the log knows of a message: its author and whether a later event deleted it.
   * `null` when the message has left the log (then D1 is asked).
   */
  messageState(target: number): { authorId: string; deleted: boolean } | null {
    const [msg] = this.sql
      .exec<{ author_id: string }>(
        `SELECT author_id FROM events WHERE seq = ? AND type = 'message'`,
        target,
      )
      .toArray();
    if (!msg) return null;
    return { authorId: msg.author_id, deleted: this.hasDelete(target) };
  }

  /**
   * Who sent message `target` with which clientId, and whether it carries files: what
   * finds its files in D1 (attachments.ts). Null when the message has left the log.
   */
  messageOrigin(target: number): { authorId: string; clientId: string; files: boolean } | null {
    const [row] = this.sql
      .exec<{ author_id: string; client_id: string; files: string | null }>(
        `SELECT author_id, client_id, files FROM events WHERE seq = ? AND type = 'message'`,
        target,
      )
      .toArray();
    return row
      ? { authorId: row.author_id, clientId: row.client_id, files: row.files !== null }
      : null;
  }

  /**
   * Whether the log holds a delete of `target`. It may, even when the message itself has
   * left the log: a delete is trimmed only after its copy to D1, so D1 alone can lag it.
   */
  hasDelete(target: number): boolean {
    return (
      this.sql
        .exec(`SELECT 1 FROM events WHERE type = 'delete' AND target = ? LIMIT 1`, target)
        .toArray().length > 0
    );
  }

  /** The seqs of the messages by `authorId` the log still holds (deleted ones too). */
  messagesBy(authorId: string): number[] {
    return this.sql
      .exec<{ seq: number }>(
        `SELECT seq FROM events WHERE type = 'message' AND author_id = ?`,
        authorId,
      )
      .toArray()
      .map((row) => row.seq);
  }

  /**
   * The people the events after `after` that the log still holds name: who wrote, reacted
   * or acted, and whom a notice is about.
   */
  authorsSince(after: number): string[] {
    return this.sql
      .exec<{ id: string }>(
        `SELECT author_id AS id FROM events
           WHERE seq > ?1 AND type IN ('message', 'react', 'unreact', 'notice') AND author_id IS NOT NULL
         UNION
         SELECT text ->> '$.subject.id' FROM events
           WHERE seq > ?1 AND type = 'notice' AND text ->> '$.subject.id' IS NOT NULL`,
        after,
      )
      .toArray()
      .map((row) => row.id);
  }

  /** The oldest seq still replayable, or lastSeq + 1 when nothing is kept. */
  oldestSeq(): number {
    const [row] = this.sql.exec<{ s: number | null }>('SELECT min(seq) AS s FROM events').toArray();
    return row?.s ?? this.seq + 1;
  }

  /** Events after `after`, in order, at most `limit` (the room asks for the whole gap). */
  since(after: number, limit: number): RoomEvent[] {
    return this.sql
      .exec<EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?', after, limit)
      .toArray()
      .map((row) => toEvent(this.roomId(), row));
  }

  unflushed(limit: number): EventRow[] {
    return this.sql
      .exec<EventRow>('SELECT * FROM events WHERE flushed = 0 ORDER BY seq LIMIT ?', limit)
      .toArray();
  }

  hasUnflushed(): boolean {
    return this.sql.exec('SELECT 1 FROM events WHERE flushed = 0 LIMIT 1').toArray().length > 0;
  }

  /** Marks events up to `seq` as in D1 and drops what replay no longer needs. */
  markFlushed(upTo: number, now = Date.now()): void {
    this.sql.exec('UPDATE events SET flushed = 1 WHERE seq <= ? AND flushed = 0', upTo);
    this.sql.exec(
      `INSERT INTO meta (key, value) VALUES ('last_seq', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      String(this.seq),
    );
    this.sql.exec('DELETE FROM events WHERE flushed = 1 AND seq <= ?', this.seq - this.retain);
    if (now - this.sweptClientIdsAt >= CLIENT_ID_SWEEP_MS) {
      this.sweptClientIdsAt = now;
      this.sql.exec('DELETE FROM client_ids WHERE at < ?', now - CLIENT_ID_TTL_MS);
    }
  }

  private next(): number {
    this.seq += 1;
    return this.seq;
  }
}

export function toEvent(roomId: string, row: EventRow): RoomEvent {
  if (row.type === 'edit') {
    return { type: 'edit', seq: row.seq, target: row.target!, text: row.text!, editedAt: row.at };
  }
  if (row.type === 'delete') {
    const removed = row.text === 'moderator';
    return {
      type: 'delete',
      seq: row.seq,
      target: row.target!,
      deletedAt: row.at,
      ...(removed && { removed }),
    };
  }
  if (row.type === 'notice') {
    // Written by appendNotice from a notice the room built itself.
    const rest = JSON.parse(row.text!) as Omit<RoomNotice, 'at' | 'actor'>;
    const actor = row.author_id ? authorOf(row) : null;
    return { type: 'notice', seq: row.seq, notice: { ...rest, actor, at: row.at } };
  }
  if (row.type === 'react' || row.type === 'unreact') {
    return {
      type: 'reaction',
      seq: row.seq,
      target: row.target!,
      emoji: row.text!,
      user: authorOf(row),
      on: row.type === 'react',
      at: row.at,
    };
  }
  const message: Message = {
    id: row.id!,
    roomId,
    seq: row.seq,
    author: authorOf(row),
    text: row.text!,
    createdAt: row.at,
    editedAt: null,
    deleted: false,
    replyTo: row.reply_to ?? null,
    reactions: [],
    ...(row.files && { files: JSON.parse(row.files) as FileInfo[] }),
  };
  return { type: 'message', seq: row.seq, message };
}

function authorOf(row: EventRow): UserRef {
  return {
    id: row.author_id!,
    name: row.author_name!,
    color: row.author_color!,
    guest: row.author_guest === 1,
    ...markFields(row.author_mark),
  };
}
