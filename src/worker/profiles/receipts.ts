/**
 * Read receipts in DMs, from the read cursor that already exists (`memberships.read_seq`).
 * Both ends must have receipts on: whoever turns them off neither sends nor sees them (as in
 * most chats, so nobody sees others' receipts while hiding their own). In a group DM the
 * rule holds per pair of members: a member sees the cursors of the others who have receipts
 * on, if they have them on themselves.
 */
import { dmMembers, roomStub } from '../../durable/room-info';

interface Pair {
  read_seq: number;
  reader_on: number;
  viewer_on: number;
}

/** `reader`'s cursor in DM `roomId` as `viewer` may see it, or null (not a DM, or receipts off). */
async function cursorFor(
  db: D1Database,
  roomId: string,
  reader: string,
  viewer: string,
): Promise<number | null> {
  const row = await db
    .prepare(
      `SELECT m.read_seq,
         (SELECT read_receipts FROM users WHERE id = ?2) AS reader_on,
         (SELECT read_receipts FROM users WHERE id = ?3) AS viewer_on
       FROM memberships m WHERE m.room_id = ?1 AND m.user_id = ?2`,
    )
    .bind(roomId, reader, viewer)
    .first<Pair>();
  return row && row.reader_on === 1 && row.viewer_on === 1 ? row.read_seq : null;
}

/** The other members of a DM of `userId`'s, or null if `roomId` is not one. */
function othersIn(roomId: string, userId: string): string[] | null {
  const members = dmMembers(roomId);
  if (!members || !members.includes(userId)) return null;
  return members.filter((id) => id !== userId);
}

/**
 * A DM's receipts as `viewer` may see them: each other member's cursor, for those who have
 * receipts on, if `viewer` has them on too (none otherwise, and none outside their DMs).
 */
export async function dmReads(
  db: D1Database,
  roomId: string,
  viewer: string,
): Promise<{ userId: string; seq: number }[]> {
  if (!othersIn(roomId, viewer)) return [];
  const { results } = await db
    .prepare(
      `SELECT m.user_id, m.read_seq FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.room_id = ?1 AND m.user_id != ?2 AND u.read_receipts = 1
         AND (SELECT read_receipts FROM users WHERE id = ?2) = 1
       ORDER BY m.user_id`,
    )
    .bind(roomId, viewer)
    .all<{ user_id: string; read_seq: number }>();
  return results.map((r) => ({ userId: r.user_id, seq: r.read_seq }));
}

/** After `reader` moved their cursor in a DM: the other members' sockets there are told. */
export async function announceRead(env: Env, roomId: string, reader: string): Promise<void> {
  const others = othersIn(roomId, reader);
  if (!others?.length) return;
  if (others.length === 1) {
    const seq = await cursorFor(env.DB, roomId, reader, others[0]!);
    if (seq !== null) await roomStub(env, roomId).readReceipt(reader, seq);
    return;
  }
  const row = await env.DB.prepare(
    `SELECT m.read_seq, u.read_receipts AS reader_on,
       (SELECT json_group_array(o.user_id) FROM memberships o JOIN users v ON v.id = o.user_id
        WHERE o.room_id = ?1 AND o.user_id != ?2 AND v.read_receipts = 1) AS viewers
     FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.room_id = ?1 AND m.user_id = ?2`,
  )
    .bind(roomId, reader)
    .first<{ read_seq: number; reader_on: number; viewers: string }>();
  if (!row || row.reader_on !== 1) return;
  const viewers = JSON.parse(row.viewers) as string[];
  if (viewers.length) await roomStub(env, roomId).readReceipt(reader, row.read_seq, viewers);
}
