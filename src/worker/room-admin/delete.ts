/**
 * Deleting a room (its owner, issue 12): the room and everything that names it leave D1, its
 * object closes every socket and forgets its log, and its messages go in bounded chunks.
 */
import { roomStub } from '../../durable/room-info';

// Rows a single DELETE removes: each statement stays well inside D1's per-query time limit.
const CHUNK = 5000;

export async function deleteRoom(env: Env, roomId: string): Promise<void> {
  const db = env.DB;
  // First the room itself: from here on every route answers 404 and no upgrade reaches the
  // object. Children first (memberships, embed lists and secrets reference the room).
  await db.batch(
    [
      'memberships',
      'embed_origins',
      'room_identity_secrets',
      'room_bans',
      'room_invites',
      'room_notices',
      'pins',
    ]
      .map((table) => db.prepare(`DELETE FROM ${table} WHERE room_id = ?1`).bind(roomId))
      .concat(db.prepare('DELETE FROM rooms WHERE id = ?1').bind(roomId)),
  );
  // Then the object: sockets close with 1000 and its log (and any copy not yet made) is gone.
  await roomStub(env, roomId).deleted();
  // Then the history, which may be large; the search index follows by trigger.
  for (const table of ['reactions', 'messages']) {
    for (;;) {
      const { meta } = await db
        .prepare(
          `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE room_id = ?1 LIMIT ?2)`,
        )
        .bind(roomId, CHUNK)
        .run();
      if (meta.changes < CHUNK) break;
    }
  }
}
