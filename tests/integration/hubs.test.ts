/**
 * Hub shards (3 in tests): each holds the lobby sockets of the users whose id hashes to it.
 * Activity reaches every member once whatever their shard, a DM's only its two members, and
 * presence is that of the people one has DMs with, exact after every object hibernated.
 */
import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  activityIn,
  api,
  connect,
  createRoom,
  guest,
  guestOn,
  join,
  openLobby,
  openRoom,
  say,
} from '../helpers';
import { byType, eventually, type Frame } from '../socket-client';

const SHARDS = Number(env.HUB_SHARDS);
const hubStub = (shard: number) => env.HUB.get(env.HUB.idFromName(`hub:${shard}`));
const roomStub = (id: string) => env.ROOM.get(env.ROOM.idFromName(id));

type Guest = Awaited<ReturnType<typeof guest>>;

const about = (type: string, userId: string) => (f: Frame) =>
  f.type === type && (f.user as { id: string }).id === userId;
const ids = (users: unknown) => (users as { id: string }[]).map((u) => u.id).sort();

async function dmBetween(a: Guest, b: Guest): Promise<string> {
  const res = await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
  return ((await res.json()) as { chat: { id: string } }).chat.id;
}

describe('hub shards: activity', () => {
  it('brings a public room’s activity to its members on every shard, once each, and to no one else', async () => {
    expect(SHARDS).toBe(3);
    const owner = await guestOn(0);
    const members = [await guestOn(0), await guestOn(1), await guestOn(2)];
    const stranger = await guestOn(1); // on a shard that has a member: it receives the notice
    const room = await createRoom(owner.token);
    for (const m of members) await join(room.id, m.token);
    const lobbies = await Promise.all(members.map((m) => openLobby(m)));
    const strangerLobby = await openLobby(stranger);
    // Subscriptions are asked for in the background of each arrival.
    await eventually(async () =>
      (await roomStub(room.id).getStats()).hubShards.length === 3 ? true : undefined,
    );

    const s = await openRoom(room.id, owner.token);
    const one = await say(s, 'one');
    for (const lobby of lobbies) {
      expect(await lobby.q.take(activityIn(room.id))).toMatchObject({ seq: one.seq, count: 1 });
    }
    const two = await say(s, 'two');
    // The next notice each member gets is the second message's: the first came once.
    for (const lobby of lobbies) {
      expect(await lobby.q.take(activityIn(room.id))).toMatchObject({
        seq: two.seq,
        last: { text: 'two' },
      });
    }
    expect(strangerLobby.q.frames.filter(activityIn(room.id))).toEqual([]);
    expect((await roomStub(room.id).getStats()).hubShards.sort()).toEqual([0, 1, 2]);
  });

  it('keeps a DM’s activity to its two members: a third user on either shard hears nothing', async () => {
    const a = await guestOn(0);
    const b = await guestOn(1);
    const nextToA = await guestOn(0);
    const nextToB = await guestOn(1);
    const la = await openLobby(a);
    const lb = await openLobby(b);
    const l3 = await openLobby(nextToA);
    const l4 = await openLobby(nextToB);
    const dm = await dmBetween(a, b);
    const s = await openRoom(dm, a.token);
    await say(s, 'just us');
    expect(await lb.q.take(activityIn(dm))).toMatchObject({ kind: 'dm', seq: 1 });
    expect(await la.q.take(activityIn(dm))).toMatchObject({ kind: 'dm', seq: 1 });
    expect(
      [...l3.q.frames, ...l4.q.frames].filter((f) => f.type === 'activity' && f.kind === 'dm'),
    ).toEqual([]);
    // A DM subscribes no shard: it always names its two members' shards itself.
    expect((await roomStub(dm).getStats()).hubShards).toEqual([]);
  });

  it('starts and stops a member’s notices as they join and leave while online', async () => {
    const owner = await guestOn(0);
    const b = await guestOn(2);
    const room = await createRoom(owner.token);
    const lb = await openLobby(b);
    await join(room.id, b.token);
    const s = await openRoom(room.id, owner.token);
    const welcome = await say(s, 'welcome');
    expect(await lb.q.take(activityIn(room.id))).toMatchObject({ seq: welcome.seq });
    const left = await api(`/rooms/${room.id}/leave`, { method: 'POST', json: {}, token: b.token });
    expect(left.status).toBe(200);
    await say(s, 'after you left');
    // Shard 2 had no one else in the room: the notice unsubscribes it instead of delivering.
    await eventually(async () =>
      (await roomStub(room.id).getStats()).hubShards.includes(2) ? undefined : true,
    );
    expect(lb.q.frames.filter(activityIn(room.id))).toEqual([]);
  });
});

describe('hub shards: joins and leaves at once', () => {
  it('leaves D1, the room’s last notice and the hub agreeing after joins and leaves sent together', async () => {
    const owner = await guestOn(0);
    const b = await guestOn(2);
    const room = await createRoom(owner.token);
    const lb = await openLobby(b);
    const s = await openRoom(room.id, owner.token);
    const post = (what: string) =>
      api(`/rooms/${room.id}/${what}`, { method: 'POST', json: {}, token: b.token });
    // Staggered, so each request's membership check sees a different moment: a join that
    // saw b out and a leave that saw b in both go ahead, and their writes cross.
    const sent = ['join', 'leave', 'join', 'leave', 'join', 'leave'].map(
      (what, i) => new Promise<Response>((done) => setTimeout(() => done(post(what)), i * 3)),
    );
    expect((await Promise.all(sent)).map((r) => r.status)).toEqual(Array(6).fill(200));
    const marker = { seq: (await say(s, 'who is here?')).seq as number };
    const changes = s.q.frames
      .filter((f) => f.type === 'notice' && (f.seq as number) < marker.seq)
      .map((f) => f.notice as { kind: string; subject: { id: string } })
      .filter((n) => n.subject.id === b.id);
    const member = changes.at(-1)?.kind === 'joined';
    // D1 agrees with the last notice…
    const listed = await api(`/rooms/${room.id}/members?q=`, { token: owner.token });
    const members = ((await listed.json()) as { members: { id: string }[] }).members;
    expect(members.some((u) => u.id === b.id)).toBe(member);
    // …and so does b's hub: the room's activity reaches b's lobby only as a member.
    const after = { seq: (await say(s, 'after the burst')).seq as number };
    const since = (f: Frame) => activityIn(room.id)(f) && (f.seq as number) >= after.seq;
    if (member) {
      await lb.q.take(since);
    } else {
      await eventually(async () =>
        (await roomStub(room.id).getStats()).hubShards.includes(2) ? undefined : true,
      );
      expect(lb.q.frames.filter(since)).toEqual([]);
    }
    // Each change that took effect alternated.
    expect(changes.every((n, i) => i === 0 || n.kind !== changes[i - 1]!.kind)).toBe(true);
  });
});

describe('hub shards: presence of DM contacts', () => {
  it('tells each person about their contacts only, across shards, and the presence route agrees', async () => {
    const a = await guestOn(0);
    const b = await guestOn(1);
    const stranger = await guestOn(2);
    const dm = await dmBetween(a, b);
    await say(await openRoom(dm, a.token), 'hi');

    const la = await openLobby(a);
    const l3 = await openLobby(stranger);
    const { socket: lb } = await connect('/lobby/ws', b.token);
    const hello = await lb!.q.take(byType('hello'));
    expect(ids(hello.online)).toEqual([a.id]);
    expect(await la.q.take(about('online', b.id))).toMatchObject({ user: { id: b.id } });

    const res = await api('/presence', { token: a.token });
    expect(ids(((await res.json()) as { online: unknown }).online)).toEqual([b.id]);
    const none = await api('/presence', { token: stranger.token });
    expect(((await none.json()) as { online: unknown[] }).online).toEqual([]);

    lb!.close();
    expect(await la.q.take(about('offline', b.id))).toMatchObject({ user: { id: b.id } });
    expect(l3.q.frames.filter((f) => f.type === 'online' || f.type === 'offline')).toEqual([]);
  });

  it('makes two people contacts with their first DM message, while both are online', async () => {
    const a = await guestOn(1);
    const b = await guestOn(2);
    const [la, lb] = [await openLobby(a), await openLobby(b)];
    const dm = await dmBetween(a, b);
    await say(await openRoom(dm, a.token), 'first words');
    expect(await lb.q.take(about('online', a.id))).toBeTruthy();
    expect(await la.q.take(about('online', b.id))).toBeTruthy();
  });

  it('announces offline after both shards were evicted (hibernation loses nothing)', async () => {
    const a = await guestOn(0);
    const b = await guestOn(2);
    const dm = await dmBetween(a, b);
    await say(await openRoom(dm, b.token), 'hello');
    const la = await openLobby(a);
    const lb = await openLobby(b);
    await la.q.take(about('online', b.id));
    await evictDurableObject(hubStub(0));
    await evictDurableObject(hubStub(2));
    lb.close();
    expect(await la.q.take(about('offline', b.id))).toMatchObject({ user: { id: b.id } });
    // b's shard forgot b: no interest or contact row is left behind.
    const rows = await runInDurableObject(hubStub(2), (_hub, state) =>
      state.storage.sql
        .exec<{ n: number }>(
          `SELECT (SELECT count(*) FROM interest WHERE user_id = ?1)
                + (SELECT count(*) FROM contacts WHERE user_id = ?1) AS n`,
          b.id,
        )
        .one(),
    );
    expect(rows.n).toBe(0);
  });

  it('sends a rename to the person’s own tabs and to their contacts on other shards', async () => {
    const a = await guestOn(0);
    const b = await guestOn(1);
    const dm = await dmBetween(a, b);
    await say(await openRoom(dm, a.token), 'hey');
    const [la, lb] = [await openLobby(a), await openLobby(b)];
    const newName = `Renamed${crypto.randomUUID().slice(0, 6)}`;
    const res = await api('/me', { method: 'PATCH', json: { username: newName }, token: b.token });
    expect(res.status).toBe(200);
    expect(await la.q.take(about('user', b.id))).toMatchObject({ user: { name: newName } });
    expect(await lb.q.take(about('user', b.id))).toMatchObject({ user: { name: newName } });
  });
});
