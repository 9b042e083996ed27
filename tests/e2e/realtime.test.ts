import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, eventually, type E2eUser } from './client';
import { RawSocket } from './raw-socket';
import { DevServer } from './server';

// BENCH=1 exposes the room's in-memory counters, which show whether the object was evicted.
// The message rate is lifted so a test can fill the replay window (1,000 events) quickly.
const server = new DevServer({
  BENCH: '1',
  MESSAGE_BURST: '100000',
  MESSAGE_RATE_PER_SECOND: '100000',
});
let api: ApiClient;

beforeAll(async () => {
  await server.start();
  api = new ApiClient(server.url);
});
afterAll(() => server.stop());

const cid = () => crypto.randomUUID();

/** A room of `n` people; `base` is its seq after their join notices (messages follow it). */
async function roomWith(n: number) {
  const users = await Promise.all(Array.from({ length: n }, () => api.guest()));
  const { body } = await api.call('/rooms', {
    json: { name: `e2e ${cid().slice(0, 8)}` },
    token: users[0]!.token,
  });
  const roomId = (body.room as { id: string }).id;
  for (const u of users.slice(1)) {
    const { status } = await api.call(`/rooms/${roomId}/join`, { json: {}, token: u.token });
    expect(status).toBe(200);
  }
  return { users, roomId, base: n - 1 };
}

async function historySeqs(roomId: string, token: string) {
  const { body } = await api.call(`/rooms/${roomId}/messages?limit=100`, { token });
  return body.messages as { seq: number; text: string; author: { id: string } }[];
}

describe('against wrangler dev', () => {
  it('delivers 5 concurrent senders in one gapless order to every client on the room and its relays, matching D1', async () => {
    // 15 sockets with ROOM_DIRECT_SOCKETS=5: five on the room, ten on two relays.
    const { users, roomId, base } = await roomWith(15);
    const sockets = await Promise.all(users.map((u) => api.open(`/rooms/${roomId}/ws`, u.token)));
    const stats = await api.call(`/_bench/rooms/${roomId}/stats`, { token: users[0]!.token });
    expect(stats.body).toMatchObject({ sockets: 5, relays: [5, 5] });
    const perSender = 8;
    const senders = [0, 3, 7, 11, 14].map((i) => sockets[i]!);
    senders.forEach((s, i) => {
      for (let n = 0; n < perSender; n += 1)
        s.send({ type: 'send', clientId: cid(), text: `${i}:${n}` });
    });
    const total = perSender * senders.length;
    const orders = await Promise.all(
      sockets.map(async (s) => {
        const got: string[] = [];
        for (let n = 0; n < total; n += 1) {
          const f = await s.q.take((x) => x.type === 'message', 15_000);
          got.push(`${f.seq}|${(f.message as { text: string }).text}`);
        }
        return got;
      }),
    );
    for (const o of orders) expect(o).toEqual(orders[0]);
    expect(orders[0]!.map((o) => Number(o.split('|')[0]))).toEqual(
      Array.from({ length: total }, (_, i) => base + i + 1),
    );
    const stored = await eventually(async () => {
      const rows = await historySeqs(roomId, users[0]!.token);
      return rows.length === total ? rows : undefined;
    });
    expect(stored.map((m) => `${m.seq}|${m.text}`)).toEqual(orders[0]);
    sockets.forEach((s) => s.close());
  });

  it('after 12 s idle (hibernated) a new message still reaches every socket, on the room and a relay, with the right author', async () => {
    const { users, roomId, base } = await roomWith(7);
    const [a, b] = users as [(typeof users)[0], (typeof users)[0]];
    const sa = await api.open(`/rooms/${roomId}/ws`, a.token);
    const others = [];
    for (const u of users.slice(2)) others.push(await api.open(`/rooms/${roomId}/ws`, u.token));
    // The sixth and seventh socket are on a relay.
    const sb = await api.open(`/rooms/${roomId}/ws`, b.token);
    sa.send({ type: 'send', clientId: cid(), text: 'before the nap' });
    await sb.q.take((f) => f.type === 'message');
    await new Promise((r) => setTimeout(r, 12_000));
    // A fresh instance starts its counters at zero: the object really hibernated.
    const stats = await api.call(`/_bench/rooms/${roomId}/stats`, { token: a.token });
    expect(stats.body).toMatchObject({ events: 0, lastSeq: base + 1, sockets: 5, relays: [2] });
    sb.send({ type: 'send', clientId: cid(), text: 'after the nap' });
    for (const s of [sa, sb, ...others]) {
      const f = await s.q.take((x) => x.type === 'message' && x.seq === base + 2, 10_000);
      expect(f.message).toMatchObject({
        text: 'after the nap',
        author: { id: b.id, name: b.name },
      });
    }
    for (const s of [sa, sb, ...others]) s.close();
  });

  it('refuses an upgrade with a foreign Origin and one without a session', async () => {
    const a = await api.guest();
    await expect(
      api.open('/rooms/global/ws', a.token, { origin: 'https://evil.example' }),
    ).rejects.toThrow(/403/);
    await expect(api.open('/rooms/global/ws', 'nope')).rejects.toThrow(/401/);
  });
});

describe('clients that misbehave', () => {
  it('answers a client’s close frame, so the client sees 1000 rather than 1006', async () => {
    const { users, roomId } = await roomWith(1);
    const s = await api.open(`/rooms/${roomId}/ws`, users[0]!.token);
    s.ws.close(1000, 'bye');
    // ws waits 30 s for an unanswered close before it reports 1006.
    expect((await s.q.closedWith(10_000)).code).toBe(1000);
  });

  it('ignores a client that keeps sending after logout or leave, across hibernation', async () => {
    const { users, roomId, base } = await roomWith(3);
    const [a, b, c] = users as [E2eUser, E2eUser, E2eUser];
    const sa = await api.open(`/rooms/${roomId}/ws`, a.token);
    const rb = await RawSocket.open(server.url, `/rooms/${roomId}/ws`, b.token);
    const rc = await RawSocket.open(server.url, `/rooms/${roomId}/ws`, c.token);
    expect((await api.call('/auth/logout', { json: {}, token: b.token })).status).toBe(200);
    expect((await api.call(`/rooms/${roomId}/leave`, { json: {}, token: c.token })).status).toBe(
      200,
    );
    expect((await rb.q.closedWith(10_000)).code).toBe(1008);
    expect((await rc.q.closedWith(10_000)).code).toBe(1000);
    const ghosts = () => {
      for (const r of [rb, rc]) {
        r.send({ type: 'send', clientId: cid(), text: 'ghost' });
        r.send({ type: 'typing' });
      }
    };
    const marker = async (text: string, seq: number) => {
      sa.send({ type: 'send', clientId: cid(), text });
      const f = await sa.q.take((x) => x.type === 'message', 10_000);
      expect(f).toMatchObject({ seq, message: { text, author: { id: a.id } } });
    };
    ghosts();
    // The two joins and c's leave took seqs base − 1 … base + 1.
    await marker('awake', base + 2);
    await new Promise((r) => setTimeout(r, 12_000));
    // A fresh instance starts its counters at zero: the object really hibernated.
    const stats = await api.call(`/_bench/rooms/${roomId}/stats`, { token: a.token });
    expect(stats.body).toMatchObject({ events: 0, lastSeq: base + 2 });
    ghosts();
    await marker('after the nap', base + 3);
    expect(sa.q.ofType('typing')).toEqual([]);
    const stored = await eventually(async () => {
      const rows = await historySeqs(roomId, a.token);
      return rows.length >= 2 ? rows : undefined;
    });
    expect(stored.map((m) => m.text)).toEqual(['awake', 'after the nap']);
    sa.close();
    rb.destroy();
    rc.destroy();
  });
});

describe('resume at the replay window’s edges', () => {
  /** What a socket opened with `after` gets after hello, up to caught_up or resync. */
  async function resume(roomId: string, token: string, after: number) {
    const s = await api.open(`/rooms/${roomId}/ws?after=${after}`, token);
    const end = await s.q.take((f) => f.type === 'caught_up' || f.type === 'resync', 30_000);
    const seqs = s.q.frames.filter((f) => f.type === 'message').map((f) => f.seq as number);
    s.close();
    return { seqs, end };
  }
  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('replays the whole gap up to exactly 1,000 events and answers one more with resync, never a prefix', async () => {
    const { users, roomId } = await roomWith(1);
    const a = users[0]!;
    const s = await api.open(`/rooms/${roomId}/ws`, a.token);
    const ids = Array.from({ length: 1100 }, () => cid());
    for (const [n, id] of ids.entries()) s.send({ type: 'send', clientId: id, text: `m${n + 1}` });
    const last = await s.q.take((f) => f.type === 'ack' && f.clientId === ids.at(-1), 60_000);
    expect(last.seq).toBe(1100);
    s.close();
    // Once copied to D1 the log keeps the newest 1,000 (101..1100); the answers below are the
    // same before that, since they depend on the gap's length first.
    await eventually(async () => {
      const rows = await historySeqs(roomId, a.token);
      return rows.at(-1)?.seq === 1100 ? true : undefined;
    }, 30_000);

    // after = oldest kept − 1: a gap of exactly the window, all of it.
    const full = await resume(roomId, a.token, 100);
    expect(full.seqs).toEqual(range(101, 1100));
    expect(full.end).toEqual({ type: 'caught_up', seq: 1100 });
    // after = the oldest kept.
    const inside = await resume(roomId, a.token, 101);
    expect(inside.seqs).toEqual(range(102, 1100));
    expect(inside.end).toEqual({ type: 'caught_up', seq: 1100 });
    // One more than the window: resync, with nothing replayed.
    const over = await resume(roomId, a.token, 99);
    expect(over.seqs).toEqual([]);
    expect(over.end).toMatchObject({ type: 'resync', seq: 1100 });
    // The newest seq itself: nothing to replay.
    const now = await resume(roomId, a.token, 1100);
    expect(now.seqs).toEqual([]);
    expect(now.end).toEqual({ type: 'caught_up', seq: 1100 });
  });
});

describe('restarts', () => {
  it('keeps every acknowledged message when wrangler dev is killed between sends', async () => {
    const { users, roomId, base } = await roomWith(2);
    const [a, b] = users as [(typeof users)[0], (typeof users)[0]];
    const acked: number[] = [];
    for (let round = 0; round < 2; round += 1) {
      const sa = await api.open(`/rooms/${roomId}/ws`, a.token);
      const sb = await api.open(`/rooms/${roomId}/ws`, b.token);
      for (let n = 0; n < 4; n += 1) {
        const id = cid();
        (n % 2 ? sb : sa).send({ type: 'send', clientId: id, text: `r${round}m${n}` });
        const ack = await (n % 2 ? sb : sa).q.take((f) => f.type === 'ack' && f.clientId === id);
        acked.push(ack.seq as number);
      }
      // Kill immediately after the last ack: nothing waits for the copy to D1.
      await server.restart();
    }
    expect(acked).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => base + n));
    const stored = await eventually(async () => {
      const rows = await historySeqs(roomId, a.token);
      return rows.length === acked.length ? rows : undefined;
    }, 20_000);
    expect(stored.map((m) => m.seq)).toEqual(acked);
  });
});
