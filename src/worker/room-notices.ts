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
import { userMarkSql, userRefOf } from '../durable/user-mark';
import { readableBy, type PageBefore } from './queries';

// A page of 100 messages rarely spans more notices than this; the newest are kept.
const NOTICES_PER_PAGE = 200;

type Person = 'actor' | 'subject';
type PersonColumns = {
  [
    K in `${Person}_${'id' | 'name' | 'color' | 'guest' | 'profile' | 'mark'}`
  ]: K extends `${string}_guest` ? number | null : string | null;
};
interface NoticeRow extends PersonColumns {
  seq: number;
  data: string;
  created_at: number;
}

const personColumns = (alias: string, as: Person) =>
  `${alias}.id AS ${as}_id, ${alias}.username AS ${as}_name, ${alias}.color AS ${as}_color,
   ${alias}.is_guest AS ${as}_guest, ${alias}.profile AS ${as}_profile,
   ${userMarkSql(alias)} AS ${as}_mark`;

/**
 * Both people of a notice as they are now (current name and profile, as a message's author
 * is read), not the copy the notice was written with: a notice names people the way the
 * messages beside it do.
 */
const NOTICE_COLUMNS = `n.seq, n.data, n.created_at, ${personColumns('u', 'actor')},
  ${personColumns('s', 'subject')}`;
const NOTICE_FROM = `room_notices n LEFT JOIN users u ON u.id = n.actor_id
  LEFT JOIN users s ON s.id = n.subject_id`;

function personOf(row: NoticeRow, as: Person): UserRef | null {
  const id = row[`${as}_id`];
  if (!id) return null;
  return userRefOf({
    id,
    username: row[`${as}_name`]!,
    color: row[`${as}_color`]!,
    is_guest: row[`${as}_guest`] ?? 0,
    profile: row[`${as}_profile`],
    mark: row[`${as}_mark`],
  });
}

function toNotice(row: NoticeRow): NoticeEvent {
  // Written by the room's own object (d1-notices.ts) from a notice it built.
  const data = JSON.parse(row.data) as Omit<RoomNotice, 'actor' | 'at'>;
  const notice = {
    ...data,
    actor: personOf(row, 'actor'),
    // The stored copy stands in only for a subject whose row is gone.
    subject: personOf(row, 'subject') ?? data.subject,
    at: row.created_at,
  };
  return { type: 'notice', seq: row.seq, notice };
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
      `SELECT ${NOTICE_COLUMNS} FROM ${NOTICE_FROM}
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
      `SELECT ${NOTICE_COLUMNS} FROM ${NOTICE_FROM}
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
      `SELECT ${NOTICE_COLUMNS} FROM ${NOTICE_FROM}
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
