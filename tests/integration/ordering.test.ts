import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../socket-client';
import { clientId, createRoom, drain, guest, history, join, openRoom, say } from '../helpers';

describe('ordering and durability', () => {
  it('gives 5 concurrent senders one gapless order that every client and D1 agree on', async () => {
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => guest()));
    const room = await createRoom(users[0]!.token);
    for (const u of users.slice(1)) await join(room.id, u.token);
    const sockets = await Promise.all(users.map((u) => openRoom(room.id, u.token)));
    // Within the per-user burst (10), so the rate limiter refuses none of them.
    const perSender = 8;
    await Promise.all(
      sockets.map(async (s, i) => {
        for (let n = 0; n < perSender; n += 1)
          s.send({ type: 'send', clientId: clientId(), text: `u${i}-m${n}` });
      }),
    );
    const total = users.length * perSender;
    const orders = await Promise.all(
      sockets.map(async (s) => {
        const seen: Frame[] = [];
        for (let n = 0; n < total; n += 1)
          seen.push(await s.q.take((f) => f.type === 'message', 10_000));
        return seen.map((f) => `${f.seq}:${(f.message as { text: string }).text}`);
      }),
    );
    for (const order of orders) expect(order).toEqual(orders[0]);
    // The four joins took seqs 1–4 (notices); the messages follow without a gap.
    const base = users.length - 1;
    expect(orders[0]!.map((o) => Number(o.split(':')[0]))).toEqual(
      Array.from({ length: total }, (_, i) => base + i + 1),
    );
    // Each sender's own messages keep their sending order.
    for (let i = 0; i < users.length; i += 1) {
      const mine = orders[0]!.filter((o) => o.includes(`:u${i}-`)).map((o) => o.split(':')[1]);
      expect(mine).toEqual(Array.from({ length: perSender }, (_, n) => `u${i}-m${n}`));
    }
    await drain(room.id);
    const rows = await env.DB.prepare(
      'SELECT seq, text FROM messages WHERE room_id = ? ORDER BY seq',
    )
      .bind(room.id)
      .all<{ seq: number; text: string }>();
    expect(rows.results.map((r) => `${r.seq}:${r.text}`)).toEqual(orders[0]);
  });

  it('acknowledges a resent clientId with the original ack, storing and broadcasting once', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const sa = await openRoom(room.id, a.token);
    const sb = await openRoom(room.id, b.token);
    const id = clientId();
    const first = await say(sa, 'only once', id);
    // A retry on a new connection, as after a drop.
    sa.close();
    const again = await openRoom(room.id, a.token);
    const second = await say(again, 'only once', id);
    expect(second).toEqual(first);
    await say(again, 'marker');
    await sb.q.take(
      (f) => f.type === 'message' && (f.message as { text: string }).text === 'marker',
    );
    const copies = sb.q.ofType('message').map((f) => (f.message as { text: string }).text);
    expect(copies).toEqual(['only once']);
    await drain(room.id);
    const rows = await env.DB.prepare(
      'SELECT count(*) AS n FROM messages WHERE room_id = ? AND client_id = ?',
    )
      .bind(room.id, id)
      .first<{ n: number }>();
    expect(rows!.n).toBe(1);
    expect((await history(room.id, a.token)).messages.map((m) => m.text)).toEqual([
      'only once',
      'marker',
    ]);
  });

  it('stores one message for a clientId sent from two sockets at once while the first waits for its tokens', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const sb = await openRoom(room.id, b.token);
    // The user's first send in this room waits for a lease of their cross-chat tokens: both
    // frames wait there together, then each goes on to store.
    const [s1, s2] = [await openRoom(room.id, a.token), await openRoom(room.id, a.token)];
    const id = clientId();
    s1.send({ type: 'send', clientId: id, text: 'seen by all' });
    s2.send({ type: 'send', clientId: id, text: 'a second text under the same id' });
    const [ack1, ack2] = await Promise.all(
      [s1, s2].map((s) =>
        s.q.take(
          (f) => (f.type === 'ack' && f.clientId === id) || (f.type === 'error' && f.ref === id),
        ),
      ),
    );
    expect(ack1!.type).toBe('ack');
    expect(ack2).toEqual(ack1);
    const { seq: marker } = await say(s1, 'marker');
    expect(marker).toBe((ack1!.seq as number) + 1);
    const markerFrame = await sb.q.take((f) => f.type === 'message' && f.seq === marker);
    // Before the marker, the other member saw the message once, and nothing else.
    expect(
      [...sb.q.ofType('message'), markerFrame].map(
        (f) => `${f.seq}:${(f.message as { text: string }).text}`,
      ),
    ).toEqual([`${ack1!.seq}:seen by all`, `${marker}:marker`]);
    // A resume from the start replays what live sockets saw, nothing else.
    const resumed = await openRoom(room.id, b.token, 0);
    await resumed.q.take((f) => f.type === 'caught_up');
    expect(
      resumed.q.ofType('message').map((f) => `${f.seq}:${(f.message as { text: string }).text}`),
    ).toEqual([`${ack1!.seq}:seen by all`, `${marker}:marker`]);
  });

  it('replays exactly the missed messages, edits and deletes after the last seen seq', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const sa = await openRoom(room.id, a.token);
    const sb = await openRoom(room.id, b.token);
    const m1 = await say(sa, 'one');
    const m2 = await say(sa, 'two');
    await sb.q.take((f) => f.type === 'message' && f.seq === m2.seq);
    const lastSeen = m2.seq as number;
    sb.close();

    const m3 = await say(sa, 'three');
    sa.send({ type: 'edit', target: m1.seq, text: 'one (edited)' });
    sa.send({ type: 'delete', target: m2.seq });
    await sa.q.take((f) => f.type === 'delete');

    const back = await openRoom(room.id, b.token, lastSeen);
    await back.q.take((f) => f.type === 'caught_up');
    const missed = back.q.frames.filter((f) => ['message', 'edit', 'delete'].includes(f.type));
    expect(missed.map((f) => [f.type, f.seq])).toEqual([
      ['message', m3.seq],
      ['edit', (m3.seq as number) + 1],
      ['delete', (m3.seq as number) + 2],
    ]);
    expect(missed[1]).toMatchObject({ target: m1.seq, text: 'one (edited)' });
    expect(missed[2]).toMatchObject({ target: m2.seq });

    // Live traffic follows the replay, once.
    back.q.frames.length = 0;
    const m4 = await say(sa, 'four');
    const live = await back.q.take((f) => f.type === 'message');
    expect(live.seq).toBe(m4.seq);
    expect(back.q.ofType('message')).toEqual([]);
  });

  it('says resync when the gap is larger than the replay buffer', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const sa = await openRoom(room.id, a.token);
    await say(sa, 'first');
    // Simulate a buffer that no longer reaches back to seq 1.
    const stub = env.ROOM.get(env.ROOM.idFromName(room.id));
    await drain(room.id);
    const { runInDurableObject } = await import('cloudflare:test');
    await runInDurableObject(stub, (_obj, state) => {
      state.storage.sql.exec('DELETE FROM events WHERE seq = 1');
    });
    await say(sa, 'second');
    const late = await openRoom(room.id, a.token, 0);
    const frame = await late.q.take((f) => f.type === 'resync' || f.type === 'caught_up');
    expect(frame).toMatchObject({ type: 'resync', seq: 2 });
  });
});
