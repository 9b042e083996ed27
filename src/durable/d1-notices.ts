/**
 * The D1 copy of a room's notices (issue 12): joins, leaves and moderation actions go to
 * `room_notices` (history pages and the audit list read them), and a moderator's removal of
 * a message becomes a `message_removed` row and the message's `removed_by`.
 */
import type { EventRow } from './event-log';

export function noticeStatements(
  db: D1Database,
  roomId: string,
  rows: EventRow[],
): D1PreparedStatement[] {
  const notices = rows.flatMap((r) => {
    if (r.type === 'notice') {
      const data = JSON.parse(r.text!) as { kind: string; subject: { id: string } | null };
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
  const statements = [
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
  return statements;
}
