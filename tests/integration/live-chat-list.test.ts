/**
 * The live chat list: edits, deletes and removals reach every member's lobby (an `activity`
 * notice with `changed`, sent once the change is in D1, so the chat's row read right after
 * it is exact), an edit that adds a mention tells the person like a new mention, the user's
 * read cursor reaches their other tabs and a lost membership takes the chat off every tab's
 * list (a `chat` frame: read the list again). Nothing of this reaches anyone else.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hubShardOf } from '../../src/durable/hub-shards';
import {
  activityIn,
  api,
  createRoom,
  drain,
  expectError,
  guest,
  guestOn,
  join,
  openLobby,
  openRoom,
  say,
  subscribed,
  type Guest,
  type TestSocket,
} from '../helpers';
import type { Frame } from '../socket-client';

interface Chat {
  id: string;
  unread: number;
  mentions: number;
  readSeq: number;
  lastSeq: number;
  closedAt?: number;
  last: { seq: number; text: string; deleted: boolean } | null;
}

const enc = encodeURIComponent;
const shardOf = (u: { id: string }) => hubShardOf(u.id, Number(env.HUB_SHARDS));

/** One chat's row as the list has it (GET /api/chats/:id), checked against GET /api/chats. */
async function chatOf(roomId: string, token: string): Promise<Chat> {
  const res = await api(`/chats/${enc(roomId)}`, { token });
  expect(res.status).toBe(200);
  const { chat } = (await res.json()) as { chat: Chat };
  const list = (await (await api('/chats', { token })).json()) as { chats: Chat[] };
  expect(list.chats.find((c) => c.id === roomId)).toEqual(chat);
  return chat;
}

/**
 * The next notice about `roomId` on `lobby` that reports changes up to the event `atLeast`
 * (the notice's seq: D1 has every event up to it).
 */
const changeOf = (lobby: TestSocket, roomId: string, target: number, atLeast = 0) =>
  lobby.q.take(
    (f: Frame) => activityIn(roomId)(f) && f.changed === true && (f.seq as number) >= atLeast,
    5000,
    `change of ${target}`,
  );

/** The seq of the edit or delete of `target` the room broadcast to `s`. */
const edited = async (s: TestSocket, target: number) =>
  (await s.q.take((f) => (f.type === 'edit' || f.type === 'delete') && f.target === target))
    .seq as number;

/** The next notice about `roomId` on `lobby` whose newest message is `seq`. */
const noticeAt = (lobby: TestSocket, roomId: string, seq: number) =>
  lobby.q.take((f: Frame) => activityIn(roomId)(f) && f.seq === seq, 5000, `notice at ${seq}`);

/** Says `text` and returns the message's seq once acknowledged. */
const said = async (s: TestSocket, text: string) => ({ seq: (await say(s, text)).seq as number });

const call = (method: string, path: string, token: string, json: unknown = {}) =>
  api(path, { method, json, token });

async function roomWithReader() {
  const [a, b] = [await guest(), await guest()];
  const room = await createRoom(a.token);
  await join(room.id, b.token);
  const lobby = await openLobby(b);
  await subscribed(room.id, [b]);
  const s = await openRoom(room.id, a.token);
  return { a, b, room, lobby, s };
}

/**
 * A barrier on `lobby` (of `user`): their own read cursor in Global moves, and its frame
 * comes after anything their hub shard pushed to them before.
 */
async function barrier(lobby: TestSocket, user: Guest): Promise<void> {
  const res = await call('PUT', '/rooms/global/read', user.token, { seq: 1 });
  expect(res.status).toBe(200);
  await lobby.q.take((f) => f.type === 'chat' && f.roomId === 'global');
}

describe('deletes and edits in the live chat list', () => {
  it('brings deletes to a member’s lobby once they are in D1: unread, mentions and preview as a reload shows them', async () => {
    const { b, room, lobby, s } = await roomWithReader();
    await said(s, 'plain 0');
    const one = await said(s, `hi <@${b.id}> 1`);
    const two = await said(s, 'plain 2');
    await noticeAt(lobby, room.id, two.seq);
    expect(await chatOf(room.id, b.token)).toMatchObject({ unread: 3, mentions: 1 });

    s.send({ type: 'delete', target: two.seq });
    s.send({ type: 'delete', target: one.seq });
    await edited(s, two.seq);
    const first = await changeOf(lobby, room.id, one.seq, await edited(s, one.seq));
    // No new message: nothing to count, nothing rings.
    expect(first).toMatchObject({ count: 0, alert: false });
    // Read right after the notice, without waiting for the room's copy: already exact.
    const chat = await chatOf(room.id, b.token);
    expect(chat).toMatchObject({ unread: 1, mentions: 0 });
    expect(chat.last).toMatchObject({ seq: two.seq, deleted: true, text: '' });
  });

  it('counts a moderator’s removal of an unread message at once', async () => {
    const { a, b, room, lobby } = await roomWithReader();
    const c = await guest();
    await join(room.id, c.token);
    const sc = await openRoom(room.id, c.token);
    const msg = await said(sc, `look <@${b.id}>`);
    await noticeAt(lobby, room.id, msg.seq);
    const sa = await openRoom(room.id, a.token); // the owner removes it
    sa.send({ type: 'delete', target: msg.seq });
    // The notice names the highest seq it changed (a reader past it has nothing to re-read).
    expect(await changeOf(lobby, room.id, msg.seq, await edited(sa, msg.seq))).toMatchObject({
      changedSeq: msg.seq,
    });
    expect(await chatOf(room.id, b.token)).toMatchObject({ unread: 0, mentions: 0 });
  });

  it('tells a person an edit added a mention of them, like a new mention, and only once', async () => {
    const { a, b, room, lobby, s } = await roomWithReader();
    const ownLobby = await openLobby(a);
    await subscribed(room.id, [a, b]);
    const msg = await said(s, 'plain');
    expect(await noticeAt(lobby, room.id, msg.seq)).toMatchObject({ mentionsYou: false });

    s.send({ type: 'edit', target: msg.seq, text: `plain <@${b.id}>` });
    const firstEdit = await edited(s, msg.seq);
    const added = await changeOf(lobby, room.id, msg.seq, firstEdit);
    // Rings at the default level for a room (mentions), and quotes the edited message.
    expect(added).toMatchObject({
      mentionsYou: true,
      alert: true,
      last: { seq: msg.seq, text: `plain <@${b.id}>`, author: { id: a.id } },
    });
    expect(await chatOf(room.id, b.token)).toMatchObject({ unread: 1, mentions: 1 });
    // The author's own tab hears of the change, but is not told it mentions them.
    expect(await changeOf(ownLobby, room.id, msg.seq, firstEdit)).toMatchObject({
      mentionsYou: false,
      alert: false,
    });

    // Edited again, still naming b: not a new mention, it does not ring again.
    s.send({ type: 'edit', target: msg.seq, text: `plain <@${b.id}>!` });
    expect(await changeOf(lobby, room.id, msg.seq, await edited(s, msg.seq))).toMatchObject({
      mentionsYou: false,
      alert: false,
    });
    // Edited to name nobody: the mention is un-counted.
    s.send({ type: 'edit', target: msg.seq, text: 'plain again' });
    const n3 = await changeOf(lobby, room.id, msg.seq, await edited(s, msg.seq));
    expect(n3).toMatchObject({
      mentionsYou: false,
    });
    expect(await chatOf(room.id, b.token)).toMatchObject({ unread: 1, mentions: 0 });
  });

  it('keeps do-not-disturb and a level of none for mentions added by an edit', async () => {
    const { b, room, lobby, s } = await roomWithReader();
    const msg = await said(s, 'plain');
    await noticeAt(lobby, room.id, msg.seq);
    expect(
      (await call('PUT', `/rooms/${enc(room.id)}/notify`, b.token, { level: 'none' })).status,
    ).toBe(200);
    s.send({ type: 'edit', target: msg.seq, text: `now <@${b.id}>` });
    expect(await changeOf(lobby, room.id, msg.seq, await edited(s, msg.seq))).toMatchObject({
      mentionsYou: true,
      level: 'none',
      alert: false,
    });
    expect(
      (await call('PUT', `/rooms/${enc(room.id)}/notify`, b.token, { level: 'all' })).status,
    ).toBe(200);
    const until = Date.now() + 60 * 60 * 1000;
    expect((await call('PUT', '/me/dnd', b.token, { until })).status).toBe(200);
    const next = await said(s, 'plain two');
    await noticeAt(lobby, room.id, next.seq);
    s.send({ type: 'edit', target: next.seq, text: `later <@${b.id}>` });
    expect(await changeOf(lobby, room.id, next.seq, await edited(s, next.seq))).toMatchObject({
      mentionsYou: true,
      alert: false,
    });
  });

  it('never brings a DM’s or a private room’s edits to the lobby of someone outside it', async () => {
    const [a, b] = [await guest(), await guest()];
    // On b's shard: the DM's and the private room's notices reach that shard.
    const outsider = await guestOn(shardOf(b));
    const dm = await call('POST', '/dms', a.token, { userId: b.id });
    const dmId = ((await dm.json()) as { chat: { id: string } }).chat.id;
    const created = await call('POST', '/rooms', a.token, {
      name: `p${Date.now()}`,
      private: true,
    });
    expect(created.status).toBe(201);
    const privateId = ((await created.json()) as { room: { id: string } }).room.id;
    const invite = await call('POST', `/rooms/${enc(privateId)}/members`, a.token, {
      userId: b.id,
    });
    expect(invite.status).toBe(200);
    const lobby = await openLobby(b);
    const outside = await openLobby(outsider);
    await subscribed(privateId, [b]);
    for (const id of [dmId, privateId]) {
      const s = await openRoom(id, a.token);
      const msg = await said(s, 'secret');
      await noticeAt(lobby, id, msg.seq);
      s.send({ type: 'edit', target: msg.seq, text: `secret <@${outsider.id}>` });
      await changeOf(lobby, id, msg.seq, await edited(s, msg.seq));
      s.send({ type: 'delete', target: msg.seq });
      await changeOf(lobby, id, msg.seq, await edited(s, msg.seq));
      s.close();
    }
    await barrier(outside, outsider);
    expect(outside.q.frames.filter(activityIn(dmId))).toEqual([]);
    expect(outside.q.frames.filter(activityIn(privateId))).toEqual([]);
  });
});

describe('the read cursor across a user’s tabs', () => {
  it('reaches every tab of the reader, clamped to the room, and no one else’s', async () => {
    const { a, b, room, lobby, s } = await roomWithReader();
    const second = await openLobby(b);
    const c = await guestOn(shardOf(b)); // another member on the same shard
    await join(room.id, c.token);
    const other = await openLobby(c);
    await said(s, 'one');
    const two = await said(s, 'two');
    await noticeAt(lobby, room.id, two.seq);
    expect(await chatOf(room.id, b.token)).toMatchObject({ unread: 2 });

    const res = await call('PUT', `/rooms/${enc(room.id)}/read`, b.token, { seq: two.seq + 1000 });
    expect(res.status).toBe(200);
    for (const tab of [lobby, second]) {
      expect(await tab.q.take((f) => f.type === 'chat')).toEqual({ type: 'chat', roomId: room.id });
    }
    expect(await chatOf(room.id, b.token)).toMatchObject({ readSeq: two.seq, unread: 0 });
    // The author and another member hear nothing of b's cursor.
    const own = await openLobby(a);
    await barrier(other, c);
    await barrier(own, a);
    for (const tab of [other, own])
      expect(tab.q.frames.filter((f) => f.type === 'chat' && f.roomId === room.id)).toEqual([]);
  });

  it('moves no cursor and tells no tab when the reader is not a member', async () => {
    const { room } = await roomWithReader();
    const outsider = await guest();
    const lobby = await openLobby(outsider);
    await expectError(
      await call('PUT', `/rooms/${enc(room.id)}/read`, outsider.token, { seq: 1 }),
      403,
      'not_a_member',
    );
    await barrier(lobby, outsider);
    expect(lobby.q.frames.filter((f) => f.type === 'chat' && f.roomId === room.id)).toEqual([]);
  });

  it('gives one chat’s row only to its member', async () => {
    const { a, b, room } = await roomWithReader();
    expect(await chatOf(room.id, b.token)).toMatchObject({ id: room.id, unread: 0 });
    const outsider = await guest();
    await expectError(
      await api(`/chats/${enc(room.id)}`, { token: outsider.token }),
      404,
      'not_found',
    );
    const dm = await call('POST', '/dms', a.token, { userId: b.id });
    const dmId = ((await dm.json()) as { chat: { id: string } }).chat.id;
    await expectError(
      await api(`/chats/${enc(dmId)}`, { token: outsider.token }),
      404,
      'not_found',
    );
    await expectError(await api(`/chats/${enc(room.id)}`), 401, 'unauthorized');
  });
});

describe('losing a membership takes the chat off every tab', () => {
  it('on leaving, removal, a ban and the room’s deletion', async () => {
    const [a, b] = [await guest(), await guest()];
    const rooms: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const room = await createRoom(a.token);
      await join(room.id, b.token);
      rooms.push(room.id);
    }
    const [left, removed, banned, deleted] = rooms as [string, string, string, string];
    const tabs = [await openLobby(b), await openLobby(b)];
    const ownerTab = await openLobby(a);
    await subscribed(deleted, [a, b]);
    const gone = (tab: TestSocket, roomId: string) =>
      tab.q.take((f) => f.type === 'chat' && f.roomId === roomId, 5000, `gone ${roomId}`);

    expect((await call('POST', `/rooms/${enc(left)}/leave`, b.token)).status).toBe(200);
    expect((await call('DELETE', `/rooms/${enc(removed)}/members/${b.id}`, a.token)).status).toBe(
      200,
    );
    expect((await call('PUT', `/rooms/${enc(banned)}/bans/${b.id}`, a.token)).status).toBe(200);
    expect((await call('DELETE', `/rooms/${enc(deleted)}`, a.token)).status).toBe(200);
    for (const tab of tabs) for (const id of rooms) await gone(tab, id);
    await gone(ownerTab, deleted);

    // The list agrees, and the owner's tab lost no room it is still in.
    const list = (await (await api('/chats', { token: b.token })).json()) as { chats: Chat[] };
    expect(list.chats.map((c) => c.id).filter((id) => rooms.includes(id))).toEqual([]);
    await barrier(ownerTab, a);
    expect(ownerTab.q.frames.filter((f) => f.type === 'chat' && f.roomId !== deleted)).toEqual([]);
  });
});

describe('an unban', () => {
  it('tells every tab of the person, and no one else, that the chat may open again', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const tabs = [await openLobby(b), await openLobby(b)];
    const ownerTab = await openLobby(a);
    expect((await call('PUT', `/rooms/${enc(room.id)}/bans/${b.id}`, a.token)).status).toBe(200);
    for (const tab of tabs)
      expect(await tab.q.take((f) => f.type === 'chat' && f.roomId === room.id)).toEqual({
        type: 'chat',
        roomId: room.id,
      });

    expect((await call('DELETE', `/rooms/${enc(room.id)}/bans/${b.id}`, a.token)).status).toBe(200);
    for (const tab of tabs)
      expect(await tab.q.take((f) => f.type === 'chat' && f.roomId === room.id)).toEqual({
        type: 'chat',
        roomId: room.id,
        unbanned: true,
      });
    // Unbanned is not a member again (only the global room rejoins): the room may be joined.
    await expectError(await api(`/chats/${enc(room.id)}`, { token: b.token }), 404, 'not_found');
    expect((await call('POST', `/rooms/${enc(room.id)}/join`, b.token)).status).toBe(200);

    // Unbanning someone who is not banned announces nothing.
    expect((await call('DELETE', `/rooms/${enc(room.id)}/bans/${b.id}`, a.token)).status).toBe(200);
    await barrier(tabs[0]!, b);
    expect(tabs[0]!.q.frames.filter((f) => f.type === 'chat' && f.unbanned)).toEqual([]);
    await barrier(ownerTab, a);
    expect(ownerTab.q.frames.filter((f) => f.type === 'chat' && f.roomId === room.id)).toEqual([]);
  });
});

describe('a new membership reaches every tab', () => {
  it('when the person joins elsewhere or an owner adds them to a private room', async () => {
    const [a, b] = [await guest(), await guest()];
    const open = await createRoom(a.token);
    const closed = await createRoom(a.token);
    expect(
      (await call('PUT', `/rooms/${enc(closed.id)}/privacy`, a.token, { private: true })).status,
    ).toBe(200);
    const tabs = [await openLobby(b), await openLobby(b)];
    const arrived = (tab: TestSocket, roomId: string) =>
      tab.q.take((f) => f.type === 'chat' && f.roomId === roomId, 5000, `joined ${roomId}`);

    await join(open.id, b.token);
    for (const tab of tabs)
      expect(await arrived(tab, open.id)).toEqual({ type: 'chat', roomId: open.id });
    expect(
      (await call('POST', `/rooms/${enc(closed.id)}/members`, a.token, { userId: b.id })).status,
    ).toBe(200);
    for (const tab of tabs) await arrived(tab, closed.id);
    // The row each tab reads then is the new chat's, unread: being added is news to them.
    expect(await chatOf(closed.id, b.token)).toMatchObject({ id: closed.id, unread: 1 });
    // Joining by oneself is not.
    expect(await chatOf(open.id, b.token)).toMatchObject({ id: open.id, unread: 0 });
  });
});

describe('closing a DM', () => {
  const dmWith = async (a: Guest, b: Guest) => {
    const res = await call('POST', '/dms', a.token, { userId: b.id });
    return ((await res.json()) as { chat: { id: string } }).chat.id;
  };

  it('keeps it out of the list, read, until a newer message or opening it again; tells every tab', async () => {
    const [a, b] = [await guest(), await guest()];
    const dm = await dmWith(a, b);
    const s = await openRoom(dm, b.token);
    await said(s, 'hello?');
    await said(s, 'anyone?');
    await drain(dm);
    const tab = await openLobby(a);
    const res = await call('PUT', `/chats/${enc(dm)}/closed`, a.token);
    expect(res.status).toBe(200);
    const closed = await chatOf(dm, a.token);
    expect(closed).toMatchObject({ unread: 0, closedAt: closed.lastSeq, readSeq: closed.lastSeq });
    expect(await tab.q.take((f) => f.type === 'chat' && f.roomId === dm)).toEqual({
      type: 'chat',
      roomId: dm,
    });
    // Closed for its closer only.
    expect((await chatOf(dm, b.token)).closedAt).toBeUndefined();

    // A newer message brings it back, unread.
    await said(s, 'ping');
    await drain(dm);
    expect(await chatOf(dm, a.token)).toMatchObject({ unread: 1 });
    expect((await chatOf(dm, a.token)).closedAt).toBeUndefined();

    // Closed the moment a message came (before D1 has it): that message is read, not news.
    const bye = await said(s, 'bye');
    await call('PUT', `/chats/${enc(dm)}/closed`, a.token);
    await drain(dm);
    expect(await chatOf(dm, a.token)).toMatchObject({ closedAt: bye.seq, unread: 0 });

    // Opened from the people finder: back at once, in every tab.
    tab.q.frames.length = 0;
    expect(await dmWith(a, b)).toBe(dm);
    expect((await chatOf(dm, a.token)).closedAt).toBeUndefined();
    expect(await tab.q.take((f) => f.type === 'chat' && f.roomId === dm)).toEqual({
      type: 'chat',
      roomId: dm,
    });
    s.close();
  });

  it('closes DMs only, and only one’s own', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const room = await createRoom(a.token);
    await expectError(
      await call('PUT', `/chats/${enc(room.id)}/closed`, a.token),
      400,
      'bad_request',
    );
    const dm = await dmWith(a, b);
    await expectError(await call('PUT', `/chats/${enc(dm)}/closed`, c.token), 404, 'not_found');
    await expectError(await call('PUT', '/chats/global/closed', a.token), 400, 'bad_request');
    expect((await call('DELETE', `/chats/${enc(dm)}/closed`, a.token)).status).toBe(200);
  });
});
