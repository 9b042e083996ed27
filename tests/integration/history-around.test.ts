/** History around a message (permalinks, replies) and after one: `around=` and `after=`. */
import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:test';
import { api, createRoom, expectError, guest, history } from '../helpers';

const seqs = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A room whose D1 history holds messages 1..`count` (written there directly: the send
 * path and its rate limit are not what these tests are about). */
async function roomWith(count: number) {
  const a = await guest();
  const room = await createRoom(a.token);
  await env.DB.batch([
    env.DB.prepare(
      `WITH RECURSIVE n(s) AS (SELECT 1 UNION ALL SELECT s + 1 FROM n WHERE s < ?3)
       INSERT INTO messages (room_id, seq, id, author_id, client_id, text, created_at)
       SELECT ?1, s, ?1 || '-' || s, ?2, 'c-' || s, 'm' || s, s FROM n`,
    ).bind(room.id, a.id, count),
    env.DB.prepare('UPDATE rooms SET last_seq = ?2 WHERE id = ?1').bind(room.id, count),
  ]);
  return { a, room };
}

describe('history around and after a seq', () => {
  it('centres a page on a message, says where older and newer pages start, and pages on', async () => {
    const { a, room } = await roomWith(30);
    const around = await history(room.id, a.token, '?around=15&limit=10');
    expect(seqs(around)).toEqual(range(10, 19));
    expect(around).toMatchObject({ nextBefore: 10, nextAfter: 19, roomSeq: 30 });

    const next = await history(room.id, a.token, '?after=19&limit=10');
    expect(seqs(next)).toEqual(range(20, 29));
    expect(next).toMatchObject({ nextBefore: 20, nextAfter: 29 });
    const last = await history(room.id, a.token, '?after=29&limit=10');
    expect(seqs(last)).toEqual([30]);
    expect(last.nextAfter).toBeNull();

    const older = await history(room.id, a.token, `?before=${around.nextBefore}&limit=10`);
    expect(seqs(older)).toEqual(range(1, 9));
  });

  it('fills the page from the other side at the room’s ends', async () => {
    const { a, room } = await roomWith(12);
    const start = await history(room.id, a.token, '?around=2&limit=10');
    expect(seqs(start)).toEqual(range(1, 6));
    expect(start).toMatchObject({ nextBefore: null, nextAfter: 6 });
    const end = await history(room.id, a.token, '?around=12&limit=10');
    expect(seqs(end)).toEqual(range(7, 12));
    expect(end).toMatchObject({ nextBefore: 7, nextAfter: null });
    // Past the newest: the newest older half, nothing after.
    const past = await history(room.id, a.token, '?around=1000&limit=4');
    expect(seqs(past)).toEqual([11, 12]);
    expect(past.nextAfter).toBeNull();
  });

  it('refuses two anchors at once and keeps a DM to its pair', async () => {
    const { a, room } = await roomWith(1);
    const both = await api(`/rooms/${room.id}/messages?before=5&around=3`, { token: a.token });
    expect((await expectError(both, 400, 'validation_failed')).field).toBe('around');
    const bad = await api(`/rooms/${room.id}/messages?around=0`, { token: a.token });
    expect((await expectError(bad, 400, 'validation_failed')).field).toBe('around');
    const [b, c] = [await guest(), await guest()];
    const dm = `dm:${[a.id, b.id].sort().join(':')}`;
    await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
    await expectError(
      await api(`/rooms/${encodeURIComponent(dm)}/messages?around=1`, { token: c.token }),
      403,
      'forbidden',
    );
  });
});
