/** `PUT /api/rooms/:id/read`: a read cursor never passes the room's last seq. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, createRoom, drain, guest, openRoom, say } from '../helpers';

async function readSeq(roomId: string, userId: string) {
  const row = await env.DB.prepare(
    'SELECT read_seq FROM memberships WHERE room_id = ? AND user_id = ?',
  )
    .bind(roomId, userId)
    .first<{ read_seq: number }>();
  return row!.read_seq;
}

const markRead = (roomId: string, token: string, seq: number) =>
  api(`/rooms/${roomId}/read`, { method: 'PUT', json: { seq }, token });

describe('read cursors', () => {
  it('clamps a cursor past the last seq to the last seq', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    await say(s, 'one');
    await say(s, 'two');
    await drain(room.id);
    expect((await markRead(room.id, a.token, Number.MAX_SAFE_INTEGER)).status).toBe(200);
    expect(await readSeq(room.id, a.id)).toBe(2);
  });

  it('accepts a seq the room has but D1 does not have yet', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    const ack = await say(s, 'just now');
    // Before the room's copy to D1 (100 ms later) the room is asked.
    expect((await markRead(room.id, a.token, (ack.seq as number) + 5)).status).toBe(200);
    expect(await readSeq(room.id, a.id)).toBe(ack.seq);
  });
});
