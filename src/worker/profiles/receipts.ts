/**
 * Read receipts in DMs, from the read cursor that already exists (`memberships.read_seq`).
 * Both members must have receipts on: whoever turns them off neither sends nor sees them
 * (as in most chats, so nobody sees others' receipts while hiding their own).
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

/** The other member of a DM, or null if `roomId` is not a DM of `userId`'s. */
function otherMember(roomId: string, userId: string): string | null {
  const pair = dmMembers(roomId);
  if (!pair || !pair.includes(userId)) return null;
  return pair[0] === userId ? pair[1] : pair[0];
}

/** How far the other member of DM `roomId` has read, as `viewer` may see it. */
export async function peerReadSeq(
  db: D1Database,
  roomId: string,
  viewer: string,
): Promise<number | null> {
  const peer = otherMember(roomId, viewer);
  return peer ? cursorFor(db, roomId, peer, viewer) : null;
}

/** After `reader` moved their cursor in a DM: the other member's sockets there are told. */
export async function announceRead(env: Env, roomId: string, reader: string): Promise<void> {
  const peer = otherMember(roomId, reader);
  if (!peer) return;
  const seq = await cursorFor(env.DB, roomId, reader, peer);
  if (seq !== null) await roomStub(env, roomId).readReceipt(reader, seq);
}
