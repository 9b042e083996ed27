/**
 * Attention (issue 11): notification levels per chat and "do not disturb" in D1, applied by
 * the hub shards to each reader's activity notices (`mentionsYou`, `level`, `alert`), and
 * `@here` reaching the members who had the room open when it was said.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { hubShardOf } from '../../src/durable/hub-shards';
import {
  api,
  createRoom,
  drain,
  expectError,
  guest,
  join,
  openLobby,
  openRoom,
  say,
  subscribed,
  type TestSocket,
} from '../helpers';
import { byType, eventually, type Frame } from '../socket-client';

type Guest = Awaited<ReturnType<typeof guest>>;
type Chat = { id: string; kind: string; notify: string; unread: number; mentions: number };

const chatsOf = async (token: string) =>
  ((await (await api('/chats', { token })).json()) as { chats: Chat[] }).chats;
const setLevel = (roomId: string, level: unknown, token: string) =>
  api(`/rooms/${encodeURIComponent(roomId)}/notify`, { method: 'PUT', json: { level }, token });
const setDnd = (until: unknown, token: string) =>
  api('/me/dnd', { method: 'PUT', json: { until }, token });

/** Says `text` and returns the notice about exactly that message on `lobby`. */
async function noticeOf(author: TestSocket, lobby: TestSocket, roomId: string, text: string) {
  const ack = await say(author, text);
  return lobby.q.take(
    (f: Frame) => f.type === 'activity' && f.roomId === roomId && f.seq === ack.seq,
    5000,
    `notice of ${text}`,
  );
}

async function roomWithReader() {
  const [a, b] = [await guest(), await guest()];
  const room = await createRoom(a.token);
  await join(room.id, b.token);
  const lobby = await openLobby(b);
  await subscribed(room.id, [b]);
  const s = await openRoom(room.id, a.token);
  return { a, b, room, lobby, s };
}

describe('notification levels', () => {
  it('defaults to all for a DM and mentions for rooms, and stores a pick per chat', async () => {
    const { a, b, room } = await roomWithReader();
    await api('/dms', { method: 'POST', json: { userId: a.id }, token: b.token });
    const dm = `dm:${[a.id, b.id].sort().join(':')}`;
    const before = await chatsOf(b.token);
    expect(before.find((c) => c.id === dm)?.notify).toBe('all');
    expect(before.find((c) => c.id === room.id)?.notify).toBe('mentions');
    expect(before.find((c) => c.id === 'global')?.notify).toBe('mentions');

    const res = await setLevel(room.id, 'none', b.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ roomId: room.id, level: 'none' });
    expect((await setLevel(dm, 'mentions', b.token)).status).toBe(200);
    const after = await chatsOf(b.token);
    expect(after.find((c) => c.id === room.id)?.notify).toBe('none');
    expect(after.find((c) => c.id === dm)?.notify).toBe('mentions');
    // Per user: a's own view of the same room is untouched.
    const theirs = await chatsOf(a.token);
    expect(theirs.find((c) => c.id === room.id)?.notify).toBe('mentions');
  });

  it('refuses a bad level, a chat one may not set, and a request without a session', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const room = await createRoom(a.token);
    const bad = await expectError(
      await setLevel(room.id, 'loud', a.token),
      400,
      'validation_failed',
    );
    expect(bad.field).toBe('level');
    const missing = await expectError(
      await api(`/rooms/${room.id}/notify`, { method: 'PUT', json: {}, token: a.token }),
      400,
      'validation_failed',
    );
    expect(missing.field).toBe('level');
    await expectError(
      await api(`/rooms/${room.id}/notify`, {
        method: 'PUT',
        body: '{"level":',
        headers: { 'content-type': 'application/json', origin: 'https://parlor.test' },
        token: a.token,
      }),
      400,
      'invalid_json',
    );
    // b has not joined the public room; c is not one of the DM's pair; no such room.
    await expectError(await setLevel(room.id, 'all', b.token), 403, 'not_a_member');
    await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
    const dm = `dm:${[a.id, b.id].sort().join(':')}`;
    await expectError(await setLevel(dm, 'all', c.token), 403, 'forbidden');
    await expectError(await setLevel('no-such-room', 'all', a.token), 404, 'room_not_found');
    await expectError(
      await api(`/rooms/${room.id}/notify`, { method: 'PUT', json: { level: 'all' } }),
      401,
      'unauthorized',
    );
    // Nothing refused was stored.
    expect((await chatsOf(a.token)).find((x) => x.id === room.id)?.notify).toBe('mentions');
  });

  it('makes mentions-only silent for a plain message and ring for a mention; all and none follow', async () => {
    const { b, room, lobby, s } = await roomWithReader();
    const plain = await noticeOf(s, lobby, room.id, 'just chatting');
    expect(plain).toMatchObject({ level: 'mentions', mentionsYou: false, alert: false, count: 1 });
    const named = await noticeOf(s, lobby, room.id, `look <@${b.id}>`);
    expect(named).toMatchObject({ level: 'mentions', mentionsYou: true, alert: true });

    expect((await setLevel(room.id, 'all', b.token)).status).toBe(200);
    // The user's tabs are told, so every tab shows the same level.
    expect(await lobby.q.take(byType('notify_level'))).toEqual({
      type: 'notify_level',
      roomId: room.id,
      level: 'all',
    });
    expect(await noticeOf(s, lobby, room.id, 'plain again')).toMatchObject({
      level: 'all',
      alert: true,
    });

    expect((await setLevel(room.id, 'none', b.token)).status).toBe(200);
    await lobby.q.take(byType('notify_level'));
    const muted = await noticeOf(s, lobby, room.id, `still <@${b.id}>`);
    // Muted: still a mention and still unread, but nothing rings.
    expect(muted).toMatchObject({ level: 'none', mentionsYou: true, alert: false });
    await drain(room.id);
    expect((await chatsOf(b.token)).find((c) => c.id === room.id)).toMatchObject({
      unread: 4,
      mentions: 2,
    });
  });

  it('picks up a level stored while the user had no tab open', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    expect((await setLevel(room.id, 'all', b.token)).status).toBe(200);
    const lobby = await openLobby(b);
    await subscribed(room.id, [b]);
    const s = await openRoom(room.id, a.token);
    expect(await noticeOf(s, lobby, room.id, 'hello')).toMatchObject({ level: 'all', alert: true });
  });
});

describe('@here', () => {
  it('mentions the members who have the room open, and not those who do not', async () => {
    const [a, online, away] = [await guest(), await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, online.token);
    await join(room.id, away.token);
    const [lobbyOnline, lobbyAway] = [await openLobby(online), await openLobby(away)];
    await subscribed(room.id, [online, away]);
    const s = await openRoom(room.id, a.token);
    const there = await openRoom(room.id, online.token); // `online` has the room open
    const ack = await say(s, 'everyone: <@here>');
    const notice = (lobby: TestSocket) =>
      lobby.q.take((f) => f.type === 'activity' && f.roomId === room.id && f.seq === ack.seq);
    expect(await notice(lobbyOnline)).toMatchObject({ mentionsYou: true, alert: true });
    expect(await notice(lobbyAway)).toMatchObject({ mentionsYou: false, alert: false });
    await drain(room.id);
    const count = async (u: Guest) =>
      (await chatsOf(u.token)).find((c) => c.id === room.id)?.mentions;
    expect(await count(online)).toBe(1);
    expect(await count(away)).toBe(0);
    expect(await count(a)).toBe(0); // the author's own @here is not theirs
    there.close();
  });

  it('is no mention in a DM', async () => {
    const [a, b] = [await guest(), await guest()];
    const res = await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
    const dm = ((await res.json()) as { chat: { id: string } }).chat.id;
    expect((await setLevel(dm, 'mentions', b.token)).status).toBe(200);
    const lobby = await openLobby(b);
    const s = await openRoom(dm, a.token);
    const there = await openRoom(dm, b.token);
    expect(await noticeOf(s, lobby, dm, '<@here> hi')).toMatchObject({
      mentionsYou: false,
      alert: false,
    });
    await drain(dm);
    expect((await chatsOf(b.token)).find((c) => c.id === dm)?.mentions).toBe(0);
    there.close();
  });
});

describe('@here in the global room', () => {
  it('rings nobody: everyone lands there, and anyone could ring everyone', async () => {
    const [a, b] = [await guest(), await guest()];
    const lobby = await openLobby(b);
    const s = await openRoom('global', a.token);
    const there = await openRoom('global', b.token); // `b` has it open
    expect(await noticeOf(s, lobby, 'global', '<@here> free stuff')).toMatchObject({
      mentionsYou: false,
      alert: false,
    });
    await drain('global');
    expect((await chatsOf(b.token)).find((c) => c.id === 'global')?.mentions).toBe(0);
    there.close();
  });
});

describe('do not disturb', () => {
  it('is stored, silences every chat until it ends, and tells the user’s tabs', async () => {
    const { b, room, lobby, s } = await roomWithReader();
    expect(await (await api('/me/dnd', { token: b.token })).json()).toEqual({ until: null });
    const until = Date.now() + 3600_000;
    const res = await setDnd(until, b.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ until });
    expect(await lobby.q.take(byType('dnd'))).toEqual({ type: 'dnd', until });
    expect(await (await api('/me/dnd', { token: b.token })).json()).toEqual({ until });
    expect(await noticeOf(s, lobby, room.id, `hey <@${b.id}>`)).toMatchObject({
      mentionsYou: true,
      alert: false,
    });
    expect((await setDnd(null, b.token)).status).toBe(200);
    expect(await lobby.q.take(byType('dnd'))).toEqual({ type: 'dnd', until: null });
    expect(await noticeOf(s, lobby, room.id, `again <@${b.id}>`)).toMatchObject({ alert: true });
  });

  it('expires: a stored end in the past is off, for the API and for the hub', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    // Set with no tab open: the hub reads it from D1 at the user's first tab.
    expect((await setDnd(Date.now() + 3600_000, b.token)).status).toBe(200);
    let lobby = await openLobby(b);
    await subscribed(room.id, [b]);
    const s = await openRoom(room.id, a.token);
    expect(await noticeOf(s, lobby, room.id, `hey <@${b.id}>`)).toMatchObject({ alert: false });

    // Time passes (the row is moved into the past rather than the test waiting an hour).
    await env.DB.prepare('UPDATE do_not_disturb SET until = ? WHERE user_id = ?')
      .bind(Date.now() - 1000, b.id)
      .run();
    expect(await (await api('/me/dnd', { token: b.token })).json()).toEqual({ until: null });
    lobby.close();
    const shard = hubShardOf(b.id, Number(env.HUB_SHARDS));
    const hub = env.HUB.get(env.HUB.idFromName(`hub:${shard}`));
    await eventually(async () => ((await hub.whoIsOnline([b.id])).length === 0 ? true : undefined));
    // The next first tab loads the stored end, which is over: nothing is silenced.
    lobby = await openLobby(b);
    await subscribed(room.id, [b]);
    expect(await noticeOf(s, lobby, room.id, `again <@${b.id}>`)).toMatchObject({ alert: true });
  });

  it('refuses an end in the past, more than 30 days ahead, or not a number', async () => {
    const b = await guest();
    for (const until of [Date.now() - 1, Date.now() + 31 * 24 * 3600_000, 'tomorrow', 1.5]) {
      const error = await expectError(await setDnd(until, b.token), 400, 'validation_failed');
      expect(error.field).toBe('until');
    }
    await expectError(await api('/me/dnd'), 401, 'unauthorized');
    expect(await (await api('/me/dnd', { token: b.token })).json()).toEqual({ until: null });
  });
});
