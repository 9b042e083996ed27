/**
 * Mentions: `<@id>` tokens in text. Members are found for autocomplete, unread mentions are
 * counted per chat, and activity notices say whom their messages mentioned.
 */
import { describe, expect, it } from 'vitest';
import {
  api,
  connect,
  createRoom,
  drain,
  expectError,
  GOOD_PASSWORD,
  guest,
  join,
  openRoom,
  register,
  say,
  uniqueName,
} from '../helpers';
import { byType } from '../socket-client';

type Chat = { id: string; unread: number; mentions: number };
const chatsOf = async (token: string) =>
  ((await (await api('/chats', { token })).json()) as { chats: Chat[] }).chats;

describe('mentions', () => {
  it('finds a chat’s members by name prefix for autocomplete, and only a DM’s pair in a DM', async () => {
    const prefix = uniqueName('mx');
    const [a, b, c] = [
      await guest(`${prefix}_ann`),
      await guest(`${prefix}_anna`),
      await guest(`${prefix}_bob`),
    ];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const found = async (roomId: string, q: string, token: string) => {
      const res = await api(`/rooms/${encodeURIComponent(roomId)}/members?q=${q}`, { token });
      expect(res.status).toBe(200);
      return ((await res.json()) as { members: { id: string }[] }).members.map((m) => m.id);
    };
    expect(await found(room.id, `${prefix}_an`, a.token)).toEqual([a.id, b.id]);
    // c exists but is not a member of the room; in the global room everyone is.
    expect(await found(room.id, `${prefix}_b`, a.token)).toEqual([]);
    expect(await found('global', `${prefix}_b`, a.token)).toEqual([c.id]);
    await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
    const dm = `dm:${[a.id, b.id].sort().join(':')}`;
    expect(await found(dm, prefix, a.token)).toEqual([a.id, b.id]);
    await expectError(
      await api(`/rooms/${encodeURIComponent(dm)}/members?q=`, { token: c.token }),
      403,
      'forbidden',
    );
  });

  it('finds members for autocomplete by the start of their display name too, and never a deleted account', async () => {
    const tag = uniqueName('dn').replace(/[0-9_]/g, 'q');
    const [a, b] = [await guest(), await register()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const shown = await api('/me/profile', {
      method: 'PATCH',
      json: { displayName: `Zara ${tag}` },
      token: b.token,
    });
    expect(shown.status).toBe(200);
    const found = async (q: string, roomId = room.id) => {
      const res = await api(`/rooms/${roomId}/members?q=${encodeURIComponent(q)}`, {
        token: a.token,
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { members: { id: string }[] }).members.map((m) => m.id);
    };
    expect(await found(`zara ${tag}`)).toEqual([b.id]);
    expect(await found(b.username)).toEqual([b.id]);
    const gone = await api('/me/delete', {
      method: 'POST',
      token: b.token,
      json: { password: GOOD_PASSWORD },
    });
    expect(gone.status).toBe(200);
    // Still a row (their messages point at it), but not someone to mention, in the global
    // room (everyone's) either.
    expect(await found('')).toEqual([a.id]);
    expect(await found('deleted', 'global')).not.toContain(b.id);
    expect(await found('deleted')).toEqual([]);
  });

  it('counts unread mentions per chat and names the mentioned in activity notices', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const { socket: lobby } = await connect('/lobby/ws', b.token);
    await lobby!.q.take(byType('hello'));
    const s = await openRoom(room.id, a.token);
    await say(s, `hey <@${b.id}>, look`);
    await say(s, 'no mention here');
    const last = await say(s, 'everyone: <@here>');
    const notice = await lobby!.q.take((f) => f.type === 'activity' && f.roomId === room.id);
    // The first notice may cover one message or all three; together they name b and here.
    const seen = new Set(notice.mentioned as string[]);
    while (!(seen.has(b.id) && seen.has('here'))) {
      const next = await lobby!.q.take((f) => f.type === 'activity' && f.roomId === room.id);
      for (const id of (next.mentioned as string[] | undefined) ?? []) seen.add(id);
    }
    await drain(room.id);
    const chat = (await chatsOf(b.token)).find((c) => c.id === room.id);
    expect(chat).toMatchObject({ unread: 3, mentions: 1 });
    // The author's own mentions of others are not theirs to read.
    expect((await chatsOf(a.token)).find((c) => c.id === room.id)).toMatchObject({ mentions: 0 });
    await api(`/rooms/${room.id}/read`, { method: 'PUT', json: { seq: last.seq }, token: b.token });
    expect((await chatsOf(b.token)).find((c) => c.id === room.id)).toMatchObject({
      unread: 0,
      mentions: 0,
    });
  });

  it('makes a typed @username of a member a mention; code, links, addresses and non-members stay as typed', async () => {
    const prefix = uniqueName('tm');
    const [a, b] = [await guest(`${prefix}_ann`), await guest(`${prefix}_bo`)];
    await guest(`${prefix}_cy`); // a user, but no member of the room
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const s = await openRoom(room.id, a.token);
    const rest = ` look; not @${prefix}_cy, \`@${prefix}_bo\`, mail x@${prefix}_bo, https://m.example/@${prefix}_bo`;
    const ack = await say(s, `@${prefix}_BO.${rest}`);
    const sent = await s.q.take((f) => f.type === 'message' && f.seq === ack.seq);
    expect((sent.message as { text: string }).text).toBe(`<@${b.id}>.${rest}`);
    await drain(room.id);
    expect((await chatsOf(b.token)).find((x) => x.id === room.id)).toMatchObject({
      mentions: 1,
    });
    // An edit that types a name mentions them too.
    s.send({ type: 'edit', target: ack.seq, text: `fixed: @${prefix}_ann and @${prefix}_bo!` });
    const edit = await s.q.take((f) => f.type === 'edit' && f.target === ack.seq);
    expect(edit.text).toBe(`fixed: <@${a.id}> and <@${b.id}>!`);
  });

  it('looks up a person by id for a mention of someone not seen yet', async () => {
    const [a, b] = [await guest(), await guest()];
    const res = await api(`/users/${b.id}`, { token: a.token });
    expect(await res.json()).toMatchObject({ user: { id: b.id, name: b.name, guest: true } });
    await expectError(await api('/users/no-such-id', { token: a.token }), 404, 'user_not_found');
    expect((await api(`/users/${b.id}`)).status).toBe(401);
  });
});
