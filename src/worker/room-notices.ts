/**
 * Notices (joins, leaves, moderation actions; issue 12) as D1 holds them: those between a
 * history page's messages, and a room's audit list.
 */
import type { HistoryPage } from '../shared/api';
import {
  MODERATION_NOTICES,
  type AuditEntry,
  type NoticeEvent,
  type RoomNotice,
} from '../shared/moderation';
import type { UserRef } from '../shared/protocol';
import { markFields } from '../shared/user-mark';
import { userMarkSql } from '../durable/user-mark';
import { readableBy, type PageBefore } from './queries';

// A page of 100 messages rarely spans more notices than this; the newest are kept.
const NOTICES_PER_PAGE = 200;

interface NoticeRow {
  seq: number;
  data: string;
  created_at: number;
  actor_id: string | null;
  actor_name: string | null;
  actor_color: string | null;
  actor_guest: number | null;
  actor_mark: string | null;
}

const NOTICE_COLUMNS = `n.seq, n.data, n.created_at, u.id AS actor_id, u.username AS actor_name,
  u.color AS actor_color, u.is_guest AS actor_guest, ${userMarkSql('u')} AS actor_mark`;

function toNotice(row: NoticeRow): NoticeEvent {
  // Written by the room's own object (d1-notices.ts) from a notice it built.
  const data = JSON.parse(row.data) as Omit<RoomNotice, 'actor' | 'at'>;
  const actor: UserRef | null = row.actor_id
    ? {
        id: row.actor_id,
        name: row.actor_name!,
        color: row.actor_color!,
        guest: row.actor_guest === 1,
        ...markFields(row.actor_mark),
      }
    : null;
  return { type: 'notice', seq: row.seq, notice: { ...data, actor, at: row.created_at } };
}

/**
 * The notices a page covers: after the message before it (or the room's start) up to its
 * newest message, or up to the room's seq for a page that reaches the present.
 */
export async function pageNotices(
  db: D1Database,
  roomId: string,
  page: HistoryPage,
): Promise<NoticeEvent[]> {
  const first = page.messages[0];
  const last = page.messages.at(-1);
  const from = page.nextBefore === null || !first ? 0 : first.seq;
  const to = page.nextAfter && last ? last.seq : page.roomSeq;
  const { results } = await db
    .prepare(
      `SELECT ${NOTICE_COLUMNS} FROM room_notices n LEFT JOIN users u ON u.id = n.actor_id
       WHERE n.room_id = ?1 AND n.seq > ?2 AND n.seq <= ?3 AND n.kind != 'message_removed'
       ORDER BY n.seq DESC LIMIT ?4`,
    )
    .bind(roomId, from, to, NOTICES_PER_PAGE)
    .all<NoticeRow>();
  return results.reverse().map(toNotice);
}

/**
 * `pageNotices` for a page read by `historyStatement` (the newest `limit` messages before
 * `before`), as a statement for the same D1 batch as the page: the page's bounds are worked
 * out in SQL from the same index, so a history page stays one round trip. Empty unless the
 * room is readable by `viewer`.
 */
export function pageNoticesStatement(
  ...[db, roomId, before, limit, viewer]: PageBefore
): D1PreparedStatement {
  // The page's oldest message, if an older one exists (else the page reaches the start).
  const nth = (offset: string) =>
    `(SELECT seq FROM messages WHERE room_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT 1 OFFSET ${offset})`;
  return db
    .prepare(
      `SELECT ${NOTICE_COLUMNS} FROM room_notices n LEFT JOIN users u ON u.id = n.actor_id
       WHERE n.room_id = ?1 AND n.seq < ?2 AND n.kind != 'message_removed'
         AND n.seq > (CASE WHEN ${nth('?3')} IS NULL THEN 0 ELSE ${nth('?3 - 1')} END)
         AND EXISTS (SELECT 1 FROM rooms r WHERE r.id = ?1 AND ${readableBy('?4')})
       ORDER BY n.seq DESC LIMIT ?5`,
    )
    .bind(roomId, before ?? Number.MAX_SAFE_INTEGER, limit, viewer, NOTICES_PER_PAGE);
}

/** Notice rows as events, oldest first (the statements read them newest first). */
export function toNotices(rows: unknown[]): NoticeEvent[] {
  return (rows as NoticeRow[]).reverse().map(toNotice);
}

/** The room's moderation actions, newest first, before `before` (a seq), at most `limit`. */
export async function auditList(
  db: D1Database,
  roomId: string,
  before: number,
  limit: number,
): Promise<AuditEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT ${NOTICE_COLUMNS} FROM room_notices n LEFT JOIN users u ON u.id = n.actor_id
       WHERE n.room_id = ?1 AND n.seq < ?2 AND n.kind IN (SELECT value FROM json_each(?3))
       ORDER BY n.seq DESC LIMIT ?4`,
    )
    .bind(roomId, before, JSON.stringify(MODERATION_NOTICES), limit)
    .all<NoticeRow>();
  return results.map((row) => {
    const { seq, notice } = toNotice(row);
    return { seq, notice };
  });
}
