/**
 * A room's online count for the room browser (`GET /api/rooms`): the room's object writes it
 * to its D1 row at most once a second however many people come and go, so listing rooms
 * reads one column and asks no object (a shared table in one object was a global hot spot).
 */
export async function reportRoomOnline(env: Env, roomId: string, online: number): Promise<void> {
  await env.DB.prepare('UPDATE rooms SET online_count = ?2 WHERE id = ?1 AND online_count != ?2')
    .bind(roomId, online)
    .run();
}
