/**
 * The private ↔ public switch (issue 12): only the owner may switch, the switch is a notice
 * in the room's order, and visibility follows at once — the room browser, search, the chat
 * list's kind and every read route; an outsider reading a public room loses their socket
 * when it goes private.
 */
import { describe, expect, it } from 'vitest';
import {
  api,
  call,
  expectRefusedSocket,
  createRoom,
  drain,
  expectError,
  guest,
  history,
  join,
  noticeOf,
  openLobby,
  openRoom,
  say,
  subscribed,
  uniqueName,
} from '../helpers';
import type { Frame } from '../socket-client';

const setPrivate = (roomId: string, token: string, isPrivate: boolean) =>
  call('PUT', `/rooms/${roomId}/privacy`, token, { private: isPrivate });

const word = () => `pv${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;

async function browse(token: string, name: string) {
  const res = await call('GET', `/rooms?q=${encodeURIComponent(name)}`, token);
  expect(res.status).toBe(200);
  return ((await res.json()) as { rooms: { id: string; kind: string }[] }).rooms;
}

async function searchRooms(token: string, q: string) {
  const res = await api(`/search?${new URLSearchParams({ q })}`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: { roomId: string; roomKind: string }[] }).results;
}

/** A public room owned by `a`, with a message holding a unique word, copied to D1. */
async function roomWithWord(a: { token: string }) {
  const room = await createRoom(a.token, uniqueName('switch'));
  const w = word();
  const s = await openRoom(room.id, a.token);
  await say(s, `the ${w} plan`);
  await drain(room.id);
  return { room, w, s };
}

describe('private ↔ public switch', () => {
  it('hides the room from an outsider’s browser and search at once, and shows it again when public', async () => {
    const [a, outsider] = [await guest(), await guest()];
    const { room, w } = await roomWithWord(a);
    expect(await browse(outsider.token, room.name)).toMatchObject([
      { id: room.id, kind: 'public' },
    ]);
    expect((await searchRooms(outsider.token, w)).map((r) => r.roomId)).toEqual([room.id]);

    expect((await setPrivate(room.id, a.token, true)).status).toBe(200);
    expect(await browse(outsider.token, room.name)).toEqual([]);
    expect(await searchRooms(outsider.token, w)).toEqual([]);
    await expectError(
      await call('GET', `/rooms/${room.id}`, outsider.token),
      404,
      'room_not_found',
    );
    await expectError(
      await call('POST', `/rooms/${room.id}/join`, outsider.token),
      404,
      'room_not_found',
    );
    // The owner still sees it, now as `private` (one kind, no `private` flag beside it).
    const mine = await browse(a.token, room.name);
    expect(mine).toEqual([expect.objectContaining({ id: room.id, kind: 'private' })]);
    expect(mine[0]).not.toHaveProperty('private');
    expect(await searchRooms(a.token, w)).toMatchObject([{ roomId: room.id, roomKind: 'private' }]);

    expect((await setPrivate(room.id, a.token, false)).status).toBe(200);
    expect(await browse(outsider.token, room.name)).toMatchObject([
      { id: room.id, kind: 'public' },
    ]);
    expect(await searchRooms(outsider.token, w)).toMatchObject([
      { roomId: room.id, roomKind: 'public' },
    ]);
    await join(room.id, outsider.token);
  });

  it('is a notice in the room’s order, live and in history; setting what is set announces nothing', async () => {
    const [a, b] = [await guest(), await guest()];
    const { room, s: sa } = await roomWithWord(a);
    await join(room.id, b.token);
    const sb = await openRoom(room.id, b.token);

    const res = await setPrivate(room.id, a.token, true);
    const { seq } = (await res.json()) as { seq: number };
    expect(seq).toBeGreaterThan(0);
    for (const s of [sa, sb]) {
      expect(await s.q.take(noticeOf('made_private'))).toMatchObject({
        seq,
        notice: { kind: 'made_private', actor: { id: a.id }, subject: null },
      });
    }
    expect(await (await setPrivate(room.id, a.token, true)).json()).toEqual({
      ok: true,
      seq: null,
    });
    const back = (await (await setPrivate(room.id, a.token, false)).json()) as { seq: number };
    expect(back.seq).toBe(seq + 1);
    await sb.q.take(noticeOf('made_public'));
    await drain(room.id);
    const page = (await history(room.id, b.token)) as unknown as {
      notices: { seq: number; notice: { kind: string } }[];
    };
    expect(page.notices.filter((n) => n.notice.kind.startsWith('made_'))).toMatchObject([
      { seq, notice: { kind: 'made_private' } },
      { seq: seq + 1, notice: { kind: 'made_public' } },
    ]);
    // A member's chat list and the room's summary say `private` while it is.
    await setPrivate(room.id, a.token, true);
    const chats = (await (await call('GET', '/chats', b.token)).json()) as {
      chats: { id: string; kind: string }[];
    };
    expect(chats.chats.find((c) => c.id === room.id)?.kind).toBe('private');
    const detail = (await (await call('GET', `/rooms/${room.id}`, b.token)).json()) as {
      room: { kind: string };
    };
    expect(detail.room.kind).toBe('private');
  });

  it('stops an outsider reading the room over HTTP at once; members’ activity frames say private', async () => {
    const [a, b, outsider] = [await guest(), await guest(), await guest()];
    const { room } = await roomWithWord(a);
    await join(room.id, b.token);
    const lobby = await openLobby(b);
    await subscribed(room.id, [b]);
    // A public room can be read without joining (but only members hold sockets).
    expect((await call('GET', `/rooms/${room.id}/messages`, outsider.token)).status).toBe(200);
    await expectRefusedSocket(`/rooms/${room.id}/ws`, outsider.token, 'not_a_member');

    expect((await setPrivate(room.id, a.token, true)).status).toBe(200);
    for (const path of ['/messages', '/online', '/members', '']) {
      await expectError(
        await call('GET', `/rooms/${room.id}${path}`, outsider.token),
        404,
        'room_not_found',
      );
    }
    await expectRefusedSocket(`/rooms/${room.id}/ws`, outsider.token, 'room_not_found');

    const sa = await openRoom(room.id, a.token);
    const ack = await say(sa, 'now among ourselves');
    const frame = await lobby.q.take(
      (f: Frame) => f.type === 'activity' && f.roomId === room.id && f.seq === ack.seq,
    );
    expect(frame.kind).toBe('private');
  });

  it('refuses a moderator, a member, a non-member, the global room, a DM and a bad body', async () => {
    const [a, m, b, outsider] = [await guest(), await guest(), await guest(), await guest()];
    const room = await createRoom(a.token, uniqueName('switch'));
    await join(room.id, m.token);
    await join(room.id, b.token);
    expect((await call('PUT', `/rooms/${room.id}/moderators/${m.id}`, a.token)).status).toBe(200);

    await expectError(await setPrivate(room.id, m.token, true), 403, 'forbidden');
    await expectError(await setPrivate(room.id, b.token, true), 403, 'forbidden');
    await expectError(await setPrivate(room.id, outsider.token, true), 403, 'forbidden');
    expect(await browse(outsider.token, room.name)).toHaveLength(1);

    // Once private, a non-member is told the room does not exist, and a moderator still cannot.
    expect((await setPrivate(room.id, a.token, true)).status).toBe(200);
    await expectError(await setPrivate(room.id, outsider.token, false), 404, 'room_not_found');
    await expectError(await setPrivate(room.id, m.token, false), 403, 'forbidden');
    expect(await browse(outsider.token, room.name)).toEqual([]);

    await expectError(await setPrivate('global', a.token, true), 403, 'forbidden');
    const dm = await call('POST', '/dms', a.token, { userId: b.id });
    const { chat } = (await dm.json()) as { chat: { id: string } };
    await expectError(await setPrivate(chat.id, a.token, true), 403, 'forbidden');
    await expectError(
      await call('PUT', `/rooms/${room.id}/privacy`, a.token, { private: 'yes' }),
      400,
      'validation_failed',
    );
    await expectError(
      await call('PUT', `/rooms/${room.id}/privacy`, a.token, {}),
      400,
      'validation_failed',
    );
  });
});
