/**
 * Big rooms: past ROOM_DIRECT_SOCKETS (5 in tests) a room's sockets go to relays, and the
 * room's one order, resume, presence and per-user caps hold through them.
 */
import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  api,
  clientId,
  connect,
  createRoom,
  guest,
  join,
  openRoom,
  say,
  type TestSocket,
} from '../helpers';
import { LIMITS } from '../../src/shared/limits';
import { byType, eventually, type Frame } from '../socket-client';

const BOUND = Number(env.ROOM_DIRECT_SOCKETS);
const roomStub = (id: string) => env.ROOM.get(env.ROOM.idFromName(id));
const relayStub = (roomId: string, k: number) =>
  env.RELAY.get(env.RELAY.idFromName(`${roomId}#${k}`));

/** The room's relays and how many sockets each reported. */
async function relaysOf(roomId: string): Promise<{ k: number; sockets: number }[]> {
  return runInDurableObject(roomStub(roomId), (_room, state) =>
    state.storage.sql
      .exec<{ k: number; sockets: number }>('SELECT k, sockets FROM relays ORDER BY k')
      .toArray(),
  );
}

/**
 * A room with `people` members, each with one socket open, in the order they joined; `base`
 * is the room's seq after their join notices (the first message takes `base + 1`).
 */
async function crowd(people: number) {
  const owner = await guest();
  const room = await createRoom(owner.token);
  const members = [
    owner,
    ...(await Promise.all(Array.from({ length: people - 1 }, () => guest()))),
  ];
  for (const m of members.slice(1)) await join(room.id, m.token);
  const sockets: TestSocket[] = [];
  for (const m of members) sockets.push(await openRoom(room.id, m.token));
  return { room, members, sockets, base: people - 1 };
}

const messages = (frames: Frame[]) => frames.filter(byType('message'));
const textOf = (f: Frame) => (f.message as { text: string }).text;

describe('a room past its bound fans out through relays', () => {
  it('gives clients on the room and on three relays one identical order from 5 parallel senders', async () => {
    expect(BOUND).toBe(5);
    const { room, sockets, base } = await crowd(4 * BOUND);
    expect((await relaysOf(room.id)).map((r) => r.k)).toEqual([0, 1, 2]);

    // 5 senders, one on the room itself and the others on relays, 8 messages each at once.
    const senders = [0, 5, 10, 15, 19].map((i) => sockets[i]!);
    const sent = senders.flatMap((s, n) =>
      Array.from({ length: 8 }, (_, i) => {
        const id = clientId();
        s.send({ type: 'send', clientId: id, text: `sender ${n} message ${i}` });
        return { socket: s, id };
      }),
    );
    const acks = await Promise.all(
      sent.map(({ socket, id }) => socket.q.take((f) => f.type === 'ack' && f.clientId === id)),
    );
    expect(acks.map((a) => a.seq).sort((x, y) => Number(x) - Number(y))).toEqual(
      Array.from({ length: 40 }, (_, i) => base + i + 1),
    );

    const seen = await Promise.all(
      sockets.map(async (s) => {
        await eventually(async () => (messages(s.q.frames).length >= 40 ? true : undefined));
        return messages(s.q.frames).map((f) => [f.seq, (f.message as { id: string }).id]);
      }),
    );
    for (const order of seen) expect(order).toEqual(seen[0]);
    expect(seen[0]!.map(([seq]) => seq)).toEqual(
      Array.from({ length: 40 }, (_, i) => base + i + 1),
    );
  });

  it('acknowledges a relayed send before the sender sees its own event, and keeps retries idempotent', async () => {
    const { sockets } = await crowd(BOUND + 2);
    const relayed = sockets.at(-1)!;
    const id = clientId();
    relayed.send({ type: 'send', clientId: id, text: 'through a relay' });
    const ack = await relayed.q.take((f) => f.type === 'ack' && f.clientId === id);
    // Nothing of the event came before the ack: the ack leads it in the relay's stream.
    expect(messages(relayed.q.frames).length).toBeLessThanOrEqual(1);
    await relayed.q.take((f) => f.type === 'message' && f.seq === ack.seq);
    relayed.send({ type: 'send', clientId: id, text: 'through a relay' });
    expect(await relayed.q.take((f) => f.type === 'ack' && f.clientId === id)).toEqual(ack);
    relayed.send({ type: 'edit', target: 999, text: 'nope' });
    expect(await relayed.q.take(byType('error'))).toMatchObject({
      code: 'message_not_found',
      ref: 999,
    });
  });

  it('replays exactly the gap to a client that resumes onto a relay', async () => {
    const { room, members, sockets, base } = await crowd(BOUND + 1);
    for (let i = 0; i < 6; i += 1) await say(sockets[0]!, `m${i}`);
    const late = members.at(-1)!;
    sockets.at(-1)!.close();
    const resumed = await openRoom(room.id, late.token, base + 2);
    const end = await resumed.q.take(byType('caught_up'));
    expect(end.seq).toBe(base + 6);
    expect(messages(resumed.q.frames).map((f) => f.seq)).toEqual([3, 4, 5, 6].map((n) => base + n));
    await say(sockets[0]!, 'live');
    await resumed.q.take((f) => f.type === 'message' && f.seq === base + 7);
  });

  it('closes a relay’s sockets with 4000 when its stream loses a delivery; they resume with nothing lost', async () => {
    const { room, members, sockets, base } = await crowd(BOUND + 2);
    await say(sockets[0]!, 'one');
    const relayed = sockets.at(-1)!;
    await relayed.q.take(byType('message'));
    // A delivery that skips seqs: as if one had been lost between the room and the relay.
    await relayStub(room.id, 0).deliver([{ data: '{"type":"noop"}', seq: 50 }]);
    expect((await relayed.q.closedWith()).code).toBe(4000);
    await say(sockets[0]!, 'two');
    const back = await openRoom(room.id, members.at(-1)!.token, base + 1);
    await back.q.take(byType('caught_up'));
    expect(messages(back.q.frames).map((f) => f.seq)).toEqual([base + 2]);
  });

  it('keeps delivering and announcing presence after the room and its relays were evicted', async () => {
    const { room, members, sockets } = await crowd(BOUND + 3);
    await eventually(async () => ((await relaysOf(room.id))[0]?.sockets === 3 ? true : undefined));
    await evictDurableObject(roomStub(room.id));
    await evictDurableObject(relayStub(room.id, 0));
    await say(sockets[0]!, 'after the nap');
    for (const s of sockets) {
      await s.q.take((f) => f.type === 'message' && textOf(f) === 'after the nap');
    }
    // A relayed user leaves: the room and everyone on it hear it once.
    const leaving = members.at(-1)!;
    sockets.at(-1)!.close();
    for (const s of sockets.slice(0, -1)) {
      const off = await s.q.take(byType('offline'));
      expect((off.user as { id: string }).id).toBe(leaving.id);
    }
    const res = await api(`/rooms/${encodeURIComponent(room.id)}`, { token: members[0]!.token });
    const body = (await res.json()) as { online: { id: string }[] };
    expect(body.online.map((u) => u.id).sort()).toEqual(
      members
        .slice(0, -1)
        .map((m) => m.id)
        .sort(),
    );
  });

  it('announces a relayed user online and offline to the room’s own sockets, once', async () => {
    const { room, sockets } = await crowd(BOUND);
    sockets[0]!.q.frames.splice(0);
    const newcomer = await guest();
    await join(room.id, newcomer.token);
    const theirs = await openRoom(room.id, newcomer.token);
    const hello = (await relaysOf(room.id)).map((r) => r.k);
    expect(hello).toEqual([0]);
    const on = await sockets[0]!.q.take(byType('online'));
    expect((on.user as { id: string }).id).toBe(newcomer.id);
    // A second tab of the same person follows the first onto the relay: no second announcement.
    const second = await openRoom(room.id, newcomer.token);
    second.close();
    theirs.close();
    const off = await sockets[0]!.q.take(byType('offline'));
    expect((off.user as { id: string }).id).toBe(newcomer.id);
    expect(sockets[0]!.q.ofType('online')).toEqual([]);
  });

  it('holds the per-room cap of 10 sockets per person when their sockets are on a relay', async () => {
    const { room } = await crowd(BOUND);
    const heavy = await guest();
    await join(room.id, heavy.token);
    const open: TestSocket[] = [];
    for (let i = 0; i < 10; i += 1) open.push(await openRoom(room.id, heavy.token));
    const { socket } = await connect(`/rooms/${encodeURIComponent(room.id)}/ws`, heavy.token);
    expect(await socket!.q.take(byType('error'))).toMatchObject({ code: 'quota_exceeded' });
    expect((await socket!.q.closedWith()).code).toBe(4029);
    // All ten went where the first did.
    expect((await relaysOf(room.id)).map((r) => r.k)).toEqual([0]);
  });

  it('closes a relayed socket when its session ends or its user leaves the room', async () => {
    const { room, members, sockets } = await crowd(BOUND + 2);
    const [leaver, quitter] = members.slice(-2);
    const [leaverSocket, quitterSocket] = sockets.slice(-2);
    const left = await api(`/rooms/${encodeURIComponent(room.id)}/leave`, {
      method: 'POST',
      json: {},
      token: leaver!.token,
    });
    expect(left.status).toBe(200);
    expect((await leaverSocket!.q.closedWith()).code).toBe(1000);
    const out = await api('/auth/logout', { method: 'POST', json: {}, token: quitter!.token });
    expect(out.status).toBeLessThan(300);
    expect((await quitterSocket!.q.closedWith()).code).toBe(1008);
  });

  it('retires a relay whose last socket closed, and starts it again for the next newcomer', async () => {
    const { room, members, sockets } = await crowd(BOUND + 1);
    expect((await relaysOf(room.id)).map((r) => r.k)).toEqual([0]);
    await say(sockets[0]!, 'before');
    await sockets.at(-1)!.q.take((f) => f.type === 'message' && textOf(f) === 'before');
    sockets.at(-1)!.close();
    await eventually(async () => ((await relaysOf(room.id)).length === 0 ? true : undefined));
    // The room's seq moves on while it has no relay: the relay's stream starts again later.
    await say(sockets[0]!, 'meanwhile');
    const back = await openRoom(room.id, members.at(-1)!.token);
    expect((await relaysOf(room.id)).map((r) => r.k)).toEqual([0]);
    await say(sockets[0]!, 'still here');
    await back.q.take((f) => f.type === 'message' && textOf(f) === 'still here');
  });

  it('spreads a burst of parallel upgrades: the room and each relay hold at most the bound', async () => {
    const owner = await guest();
    const room = await createRoom(owner.token);
    const others = await Promise.all(Array.from({ length: 3 * BOUND - 1 }, () => guest()));
    for (const m of others) await join(room.id, m.token);
    const sockets = await Promise.all([owner, ...others].map((m) => openRoom(room.id, m.token)));
    const stats = await roomStub(room.id).getStats();
    expect(stats.sockets).toBe(BOUND);
    expect(stats.relays).toEqual([BOUND, BOUND]);
    for (const s of sockets) s.close();
  });
});

describe('presence in a crowded room', () => {
  it('sends snapshots instead of per-person frames past 100 online, pages the whole list, and returns to per-person frames', async () => {
    const { room, members, sockets } = await crowd(LIMITS.presenceListed + 1);
    const observer = sockets[0]!;
    // The 101st arrival made the room crowded: one snapshot, no per-person frame for it.
    const snapshot = await observer.q.take(byType('presence'), LIMITS.presenceSnapshotMs + 5000);
    expect(snapshot.count).toBe(LIMITS.presenceListed + 1);
    expect((snapshot.online as unknown[]).length).toBe(LIMITS.presenceListed);
    const onlines = observer.q.ofType('online').map((f) => (f.user as { id: string }).id);
    expect(onlines).not.toContain(members.at(-1)!.id);

    const newcomer = await guest();
    await join(room.id, newcomer.token);
    const theirs = await openRoom(room.id, newcomer.token);
    // openRoom took the hello; ask the room for it again through a second tab.
    const { socket: second } = await connect(
      `/rooms/${encodeURIComponent(room.id)}/ws`,
      newcomer.token,
    );
    const hello = await second!.q.take(byType('hello'));
    expect(hello.onlineCount).toBe(LIMITS.presenceListed + 2);
    expect((hello.online as { id: string }[])[0]!.id).toBe(newcomer.id);
    expect((hello.online as unknown[]).length).toBe(LIMITS.presenceListed);

    const seen: string[] = [];
    let after = '';
    for (;;) {
      const res = await api(
        `/rooms/${encodeURIComponent(room.id)}/online?limit=40&after=${encodeURIComponent(after)}`,
        { token: members[0]!.token },
      );
      const page = (await res.json()) as {
        online: { id: string }[];
        count: number;
        nextCursor: string | null;
      };
      expect(page.count).toBe(LIMITS.presenceListed + 2);
      seen.push(...page.online.map((u) => u.id));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen.sort()).toEqual([...members.map((m) => m.id), newcomer.id].sort());

    // Back under the limit: a snapshot naming everyone, then per-person frames again.
    observer.q.frames.splice(0);
    second!.close();
    theirs.close();
    sockets.at(-1)!.close();
    sockets.at(-2)!.close();
    const back = await observer.q.take(
      (f) => f.type === 'presence' && f.count === LIMITS.presenceListed - 1,
      2 * LIMITS.presenceSnapshotMs + 5000,
    );
    expect((back.online as unknown[]).length).toBe(LIMITS.presenceListed - 1);
    sockets.at(-3)!.close();
    const off = await observer.q.take(byType('offline'));
    expect((off.user as { id: string }).id).toBe(members.at(-3)!.id);
  }, 120_000);
});
