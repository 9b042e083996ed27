/** Resume: the `after` cursor, the replay window's edges, and what replays may contain. */
import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { connect, createRoom, drain, guest, history, openRoom, say } from '../helpers';
import type { Frame } from '../socket-client';
import { byType } from '../socket-client';

const roomStub = (id: string) => env.ROOM.get(env.ROOM.idFromName(id));

/**
 * A room whose log holds messages 1..`count` (as if they had arrived and reached D1), with
 * the first `pruned` already dropped from the log, as pruning after a D1 copy leaves it.
 */
async function roomWithLog(count: number, pruned = 0) {
  const a = await guest();
  const room = await createRoom(a.token);
  (await openRoom(room.id, a.token)).close();
  await runInDurableObject(roomStub(room.id), (_room, state) => {
    state.storage.sql.exec(
      `WITH RECURSIVE n(s) AS (SELECT 1 UNION ALL SELECT s + 1 FROM n WHERE s < ?)
       INSERT INTO events (seq, type, id, author_id, author_name, author_color, author_guest,
                           client_id, text, at, flushed)
       SELECT s, 'message', 'id-' || s, ?, 'Filler', '#336699', 1, 'c-' || s, 'm' || s, s, 1
       FROM n`,
      count,
      a.id,
    );
    state.storage.sql.exec('DELETE FROM events WHERE seq <= ?', pruned);
  });
  // A fresh instance reads its last seq from the log.
  await evictDurableObject(roomStub(room.id));
  return { a, room };
}

/** Everything the socket receives after hello, up to and including caught_up or resync. */
async function resume(roomId: string, token: string, after: number): Promise<Frame[]> {
  const s = await openRoom(roomId, token, after);
  const end = await s.q.take((f) => f.type === 'caught_up' || f.type === 'resync', 10_000);
  const frames = s.q.frames.splice(0).filter((f) => f.type === 'message');
  s.close();
  return [...frames, end];
}

const seqs = (frames: Frame[]) => frames.filter((f) => f.type === 'message').map((f) => f.seq);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('replay is exactly the gap, or resync', () => {
  it('with 1,100 events kept, replays a gap of exactly 1,000 in full', async () => {
    const { a, room } = await roomWithLog(1100);
    const frames = await resume(room.id, a.token, 100);
    expect(seqs(frames)).toEqual(range(101, 1100));
    expect(frames.at(-1)).toEqual({ type: 'caught_up', seq: 1100 });
  });

  it('with 1,100 events kept, answers a gap of 1,001 with resync, never a prefix', async () => {
    const { a, room } = await roomWithLog(1100);
    const frames = await resume(room.id, a.token, 99);
    expect(frames).toEqual([{ type: 'resync', seq: 1100, reason: expect.any(String) }]);
  });

  it('at the pruned window’s edges: oldest − 1 and oldest replay, one past resyncs', async () => {
    const { a, room } = await roomWithLog(1100, 100); // the log keeps 101..1100
    const atEdge = await resume(room.id, a.token, 100);
    expect(seqs(atEdge)).toEqual(range(101, 1100));
    expect(atEdge.at(-1)).toEqual({ type: 'caught_up', seq: 1100 });
    const inside = await resume(room.id, a.token, 101);
    expect(seqs(inside)).toEqual(range(102, 1100));
    expect(await resume(room.id, a.token, 99)).toEqual([
      { type: 'resync', seq: 1100, reason: expect.any(String) },
    ]);
  });
});

describe('the after cursor', () => {
  it('absent: hello and no replay, no caught_up', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    await say(s, 'one');
    const fresh = await openRoom(room.id, a.token);
    await say(s, 'marker');
    await fresh.q.take(byType('message'));
    expect(fresh.q.ofType('caught_up')).toEqual([]);
    expect(fresh.q.ofType('resync')).toEqual([]);
  });

  it('equal to the last seq: caught_up only; beyond it: resync', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    await say(s, 'one');
    expect(await resume(room.id, a.token, 1)).toEqual([{ type: 'caught_up', seq: 1 }]);
    expect(await resume(room.id, a.token, 5)).toEqual([
      { type: 'resync', seq: 1, reason: expect.any(String) },
    ]);
  });

  for (const bad of ['', 'abc', '-1', '1.5', '1e3', '99999999999999999999']) {
    it(`refuses after=${JSON.stringify(bad)} with invalid_cursor and close 1008`, async () => {
      const a = await guest();
      const room = await createRoom(a.token);
      const { socket } = await connect(
        `/rooms/${room.id}/ws?after=${encodeURIComponent(bad)}`,
        a.token,
      );
      expect(await socket!.q.take(byType('error'))).toMatchObject({
        type: 'error',
        code: 'invalid_cursor',
      });
      expect((await socket!.q.closedWith()).code).toBe(1008);
      expect(socket!.q.ofType('hello')).toEqual([]);
    });
  }
});

describe('edited and deleted text', () => {
  it('is never served again: replays carry only the last edit, deletes carry no text', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    const kept = await say(s, 'first draft SECRET-A');
    const gone = await say(s, 'regret SECRET-B');
    s.send({ type: 'edit', target: kept.seq, text: 'second draft SECRET-C' });
    await s.q.take((f) => f.type === 'edit' && f.text === 'second draft SECRET-C');
    s.send({ type: 'edit', target: kept.seq, text: 'final' });
    await s.q.take((f) => f.type === 'edit' && f.text === 'final');
    s.send({ type: 'delete', target: gone.seq });
    await s.q.take(byType('delete'));

    const replay = await openRoom(room.id, a.token, 0);
    await replay.q.take(byType('caught_up'));
    const text = JSON.stringify(replay.q.frames);
    for (const secret of ['SECRET-A', 'SECRET-B', 'SECRET-C']) expect(text).not.toContain(secret);
    expect(replay.q.ofType('edit').map((f) => f.text)).toEqual(['final', 'final']);

    await drain(room.id);
    const page = await history(room.id, a.token);
    expect(page.messages.map((m) => [m.seq, m.text])).toEqual([
      [kept.seq, 'final'],
      [gone.seq, ''],
    ]);
    const rows = await env.DB.prepare('SELECT text FROM messages WHERE room_id = ? ORDER BY seq')
      .bind(room.id)
      .all<{ text: string }>();
    expect(rows.results.map((r) => r.text)).toEqual(['final', '']);
  });
});
