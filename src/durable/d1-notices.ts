/**
 * The D1 copy of a room's notices (issue 12): joins, leaves and moderation actions go to
 * `room_notices` (history pages and the audit list read them), and a moderator's removal of
 * a message becomes a `message_removed` row and the message's `removed_by`; pins and unpins
 * keep `pins` in step.
 */
import type { EventRow } from './event-log';

/** A notice row with its JSON read once (the notices table and the pins both need it). */
interface ReadNotice {
  row: EventRow;
  data: { kind: string; subject: { id: string } | null; target?: number };
}

export function noticeStatements(
  db: D1Database,
  roomId: string,
  rows: EventRow[],
): D1PreparedStatement[] {
  const read: ReadNotice[] = rows
    .filter((r) => r.type === 'notice')
    .map((row) => ({ row, data: JSON.parse(row.text!) as ReadNotice['data'] }));
  const byNotice = new Map(read.map((n) => [n.row, n.data]));
  const notices = rows.flatMap((r) => {
    const data = byNotice.get(r);
    if (data) {
      return [
        {
          s: r.seq,
          k: data.kind,
          a: r.author_id,
          u: data.subject?.id ?? null,
          d: r.text,
          at: r.at,
        },
      ];
    }
    if (r.type === 'delete' && r.text === 'moderator') {
      const data = JSON.stringify({ kind: 'message_removed', subject: null, target: r.target });
      return [{ s: r.seq, k: 'message_removed', a: r.author_id, u: null, d: data, at: r.at }];
    }
    return [];
  });
  if (notices.length === 0) return [];
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        `INSERT OR IGNORE INTO room_notices (room_id, seq, kind, actor_id, subject_id, data, created_at)
         SELECT ?1, j.value ->> 's', j.value ->> 'k', j.value ->> 'a', j.value ->> 'u',
                j.value ->> 'd', j.value ->> 'at'
         FROM json_each(?2) AS j`,
      )
      .bind(roomId, JSON.stringify(notices)),
  ];
  const removals = rows
    .filter((r) => r.type === 'delete' && r.text === 'moderator')
    .map((r) => ({ s: r.target, by: r.author_id }));
  if (removals.length > 0) {
    statements.push(
      db
        .prepare(
          `UPDATE messages SET removed_by = j.value ->> 'by'
           FROM json_each(?2) AS j WHERE messages.room_id = ?1 AND messages.seq = j.value ->> 's'`,
        )
        .bind(roomId, JSON.stringify(removals)),
    );
  }
  statements.push(...pinStatements(db, roomId, read));
  return statements;
}

/**
 * Pins and unpins to D1's `pins`: each message's last change in the batch is its state, so a
 * pin and its unpin in one batch leave no row.
 */
function pinStatements(
  db: D1Database,
  roomId: string,
  notices: ReadNotice[],
): D1PreparedStatement[] {
  const last = new Map<number, { s: number; by: string; at: number; on: boolean }>();
  for (const { row, data } of notices) {
    if ((data.kind !== 'pinned' && data.kind !== 'unpinned') || data.target === undefined) continue;
    last.set(data.target, {
      s: data.target,
      by: row.author_id!,
      at: row.at,
      on: data.kind === 'pinned',
    });
  }
  const changes = [...last.values()];
  const pinned = changes.filter((c) => c.on);
  const unpinned = changes.filter((c) => !c.on).map((c) => c.s);
  const statements: D1PreparedStatement[] = [];
  if (pinned.length > 0)
    statements.push(
      db
        .prepare(
          `INSERT OR REPLACE INTO pins (room_id, seq, pinned_by, pinned_at)
           SELECT ?1, j.value ->> 's', j.value ->> 'by', j.value ->> 'at' FROM json_each(?2) AS j`,
        )
        .bind(roomId, JSON.stringify(pinned)),
    );
  if (unpinned.length > 0)
    statements.push(
      db
        .prepare(`DELETE FROM pins WHERE room_id = ?1 AND seq IN (SELECT value FROM json_each(?2))`)
        .bind(roomId, JSON.stringify(unpinned)),
    );
  return statements;
}
