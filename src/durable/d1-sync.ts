/**
 * Copies the room's events from its own SQLite to D1 (the system of record for history).
 * Whatever accumulated while the previous copy was in flight goes in the next one: a
 * handful of statements per batch, not one per message. Rows travel as one JSON parameter
 * expanded with `json_each`, because D1 allows only 100 bound parameters per statement.
 * Inserts are `OR IGNORE`, so a batch retried after a failure cannot duplicate a message.
 */
import { noticeStatements } from './d1-notices';
import type { EventRow } from './event-log';

// Keeps each JSON parameter well below D1's 2 MB limit on a string value.
const MAX_JSON_CHARS = 900_000;

export interface D1Stats {
  d1Statements: number;
  d1Batches: number;
}

/** Builds the statements that apply `rows` (in seq order) to D1. */
export function syncStatements(
  db: D1Database,
  roomId: string,
  rows: EventRow[],
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  const messages = rows
    .filter((r) => r.type === 'message')
    .map((r) => ({
      s: r.seq,
      i: r.id,
      a: r.author_id,
      c: r.client_id,
      t: r.text,
      at: r.at,
      r: r.reply_to ?? null,
    }));
  for (const chunk of chunkByJsonSize(messages)) {
    statements.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO messages (room_id, seq, id, author_id, client_id, text, created_at, reply_to)
           SELECT ?1, j.value ->> 's', j.value ->> 'i', j.value ->> 'a', j.value ->> 'c',
                  j.value ->> 't', j.value ->> 'at', j.value ->> 'r'
           FROM json_each(?2) AS j`,
        )
        .bind(roomId, chunk),
    );
  }
  // Only the last edit of a message in this batch matters; deletes win over edits.
  const deletes = new Map<number, number>();
  const edits = new Map<number, { t: string; at: number }>();
  for (const r of rows) {
    if (r.type === 'delete') deletes.set(r.target!, r.at);
    if (r.type === 'edit') edits.set(r.target!, { t: r.text!, at: r.at });
  }
  const editList = [...edits].filter(([s]) => !deletes.has(s)).map(([s, e]) => ({ s, ...e }));
  for (const chunk of chunkByJsonSize(editList)) {
    statements.push(
      db
        .prepare(
          `UPDATE messages SET text = j.value ->> 't', edited_at = j.value ->> 'at'
           FROM json_each(?2) AS j WHERE messages.room_id = ?1 AND messages.seq = j.value ->> 's'`,
        )
        .bind(roomId, chunk),
    );
  }
  // A reaction's last change in this batch is its state: added rows in, removed rows out.
  const reactions = new Map<string, { s: number; e: string; u: string; at: number; on: boolean }>();
  for (const r of rows) {
    if (r.type !== 'react' && r.type !== 'unreact') continue;
    const key = `${r.target}\n${r.text}\n${r.author_id}`;
    reactions.set(key, {
      s: r.target!,
      e: r.text!,
      u: r.author_id!,
      at: r.at,
      on: r.type === 'react',
    });
  }
  const [added, removed] = [true, false].map((on) =>
    [...reactions.values()].filter((r) => r.on === on).map(({ s, e, u, at }) => ({ s, e, u, at })),
  );
  for (const chunk of chunkByJsonSize(added!)) {
    statements.push(
      db
        .prepare(
          `INSERT OR IGNORE INTO reactions (room_id, seq, emoji, user_id, created_at)
           SELECT ?1, j.value ->> 's', j.value ->> 'e', j.value ->> 'u', j.value ->> 'at'
           FROM json_each(?2) AS j`,
        )
        .bind(roomId, chunk),
    );
  }
  for (const chunk of chunkByJsonSize(removed!)) {
    statements.push(
      db
        .prepare(
          `DELETE FROM reactions WHERE room_id = ?1 AND (seq, emoji, user_id) IN
             (SELECT j.value ->> 's', j.value ->> 'e', j.value ->> 'u' FROM json_each(?2) AS j)`,
        )
        .bind(roomId, chunk),
    );
  }
  if (deletes.size > 0) {
    const list = [...deletes].map(([s, at]) => ({ s, at }));
    statements.push(
      db
        .prepare(
          `UPDATE messages SET text = '', deleted_at = j.value ->> 'at'
           FROM json_each(?2) AS j WHERE messages.room_id = ?1 AND messages.seq = j.value ->> 's'`,
        )
        .bind(roomId, JSON.stringify(list)),
    );
  }
  statements.push(...noticeStatements(db, roomId, rows));
  const last = rows[rows.length - 1];
  if (last) {
    statements.push(
      db
        .prepare(
          `UPDATE rooms SET last_seq = max(last_seq, ?2), last_activity_at = max(last_activity_at, ?3)
           WHERE id = ?1`,
        )
        .bind(roomId, last.seq, last.at),
    );
  }
  return statements;
}

function* chunkByJsonSize(items: object[]): Generator<string> {
  let chunk: string[] = [];
  let size = 2;
  for (const item of items) {
    const json = JSON.stringify(item);
    if (chunk.length > 0 && size + json.length + 1 > MAX_JSON_CHARS) {
      yield `[${chunk.join(',')}]`;
      chunk = [];
      size = 2;
    }
    chunk.push(json);
    size += json.length + 1;
  }
  if (chunk.length > 0) yield `[${chunk.join(',')}]`;
}
