/**
 * A room's online count for the room browser (`GET /api/rooms`), reported by the Room at
 * most once a second however many people come and go.
 */
import { lobbyStub } from './room-info';

export async function reportRoomOnline(env: Env, roomId: string, online: number): Promise<void> {
  await lobbyStub(env).setRoomOnline(roomId, online);
}
