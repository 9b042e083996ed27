import { describe, expect, it } from 'vitest';
import { byType, eventually } from '../socket-client';
import {
  api,
  connect,
  createRoom,
  drain,
  expectError,
  guest,
  history,
  join,
  openRoom,
  say,
} from '../helpers';

describe('history', () => {
  it('walks pages back to seq 1 with no overlap and no gap', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    const total = 9; // within the burst; several pages of 4
    for (let n = 1; n <= total; n += 1) await say(s, `m${n}`);
    await drain(room.id);
    const seen: number[] = [];
    let before: number | null | undefined;
    let pages = 0;
    do {
      const page = await history(room.id, a.token, `?limit=4${before ? `&before=${before}` : ''}`);
      expect(page.roomSeq).toBe(total);
      seen.unshift(...page.messages.map((m) => m.seq));
      before = page.nextBefore;
      pages += 1;
    } while (before);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('shows edits with their marker and deletes as tombstones', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    const one = await say(s, 'one');
    const two = await say(s, 'two');
    s.send({ type: 'edit', target: one.seq, text: 'one, edited' });
    s.send({ type: 'delete', target: two.seq });
    await s.q.take(byType('delete'));
    await drain(room.id);
    const page = await history(room.id, a.token);
    expect(page.messages.map((m) => [m.text, m.editedAt !== null, m.deleted])).toEqual([
      ['one, edited', true, false],
      ['', false, true],
    ]);
    expect(page.roomSeq).toBe(4);
  });

  it('caps the page size at 100 and refuses bad cursors', async () => {
    const a = await guest();
    const err = await expectError(
      await api('/rooms/global/messages?limit=101', { token: a.token }),
      400,
      'validation_failed',
    );
    expect(err.field).toBe('limit');
    await expectError(
      await api('/rooms/global/messages?before=abc', { token: a.token }),
      400,
      'validation_failed',
    );
    await expectError(await api('/rooms/nope/messages', { token: a.token }), 404, 'room_not_found');
  });
});

describe('rooms', () => {
  it('creates, lists, joins and leaves public rooms, announcing join and leave', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token, `Topic ${crypto.randomUUID().slice(0, 6)}`);
    const dup = await api('/rooms', {
      method: 'POST',
      json: { name: room.name.toUpperCase() },
      token: b.token,
    });
    await expectError(dup, 409, 'room_name_taken');
    const sa = await openRoom(room.id, a.token);
    await join(room.id, b.token);
    const joined = await sa.q.take(byType('notice'));
    expect(joined).toMatchObject({ notice: { kind: 'joined', subject: { id: b.id } } });
    // The room writes its online count to D1 at most once a second.
    const summary = await eventually(async () => {
      const list = (await (
        await api(`/rooms?q=${encodeURIComponent(room.name)}`, { token: b.token })
      ).json()) as {
        rooms: { id: string; memberCount: number; member: boolean; onlineCount: number }[];
      };
      const found = list.rooms.find((r) => r.id === room.id);
      return found?.onlineCount === 1 ? found : undefined;
    });
    expect(summary).toMatchObject({ memberCount: 2, member: true, onlineCount: 1 });
    const sb = await openRoom(room.id, b.token);
    expect(
      (await api(`/rooms/${room.id}/leave`, { method: 'POST', json: {}, token: b.token })).status,
    ).toBe(200);
    expect(await sa.q.take(byType('notice'))).toMatchObject({
      notice: { kind: 'left', subject: { id: b.id } },
    });
    expect((await sb.q.closedWith()).code).toBe(1000);
  });

  it('refuses bad room names with the field named', async () => {
    const a = await guest();
    const err = await expectError(
      await api('/rooms', { method: 'POST', json: { name: 'x' }, token: a.token }),
      400,
      'validation_failed',
    );
    expect(err.field).toBe('name');
  });
});

describe('chat list, unread and read cursors', () => {
  it('orders chats by activity with unread counts, a new DM appears live, and reading clears it', async () => {
    const [a, b] = [await guest(), await guest()];
    const { socket: lobby } = await connect('/lobby/ws', b.token);
    await lobby!.q.take(byType('hello'));

    const dmRes = await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
    const dm = ((await dmRes.json()) as { chat: { id: string } }).chat.id;
    // Not in b's list before the first message.
    let list = (await (await api('/chats', { token: b.token })).json()) as {
      chats: {
        id: string;
        unread: number;
        lastSeq: number;
        last: { text: string } | null;
        peer: { id: string } | null;
      }[];
    };
    expect(list.chats.map((c) => c.id)).not.toContain(dm);

    const s = await openRoom(dm, a.token);
    await say(s, 'psst');
    await say(s, 'are you there?');
    const activity = await lobby!.q.take((f) => f.type === 'activity' && f.roomId === dm);
    expect(activity).toMatchObject({
      kind: 'dm',
      seq: 2,
      last: { text: 'are you there?', author: { id: a.id } },
    });

    await drain(dm);
    list = (await (await api('/chats', { token: b.token })).json()) as typeof list;
    expect(list.chats[0]).toMatchObject({
      id: dm,
      unread: 2,
      lastSeq: 2,
      last: { text: 'are you there?' },
      peer: { id: a.id },
    });

    expect(
      (
        await api(`/rooms/${encodeURIComponent(dm)}/read`, {
          method: 'PUT',
          json: { seq: 2 },
          token: b.token,
        })
      ).status,
    ).toBe(200);
    list = (await (await api('/chats', { token: b.token })).json()) as typeof list;
    expect(list.chats[0]).toMatchObject({ id: dm, unread: 0 });
  });

  it('refuses a read cursor for a chat the user is not in', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    await expectError(
      await api(`/rooms/${room.id}/read`, { method: 'PUT', json: { seq: 1 }, token: b.token }),
      403,
      'not_a_member',
    );
    await expectError(
      await api(`/rooms/${room.id}/read`, { method: 'PUT', json: { seq: -1 }, token: a.token }),
      400,
      'validation_failed',
    );
  });

  it('finds people by name prefix, case-insensitively, without listing the searcher', async () => {
    const prefix = `Find${crypto.randomUUID().slice(0, 5)}`;
    const [a, b] = [await guest(`${prefix}_a`), await guest(`${prefix}_b`)];
    const res = await api(`/users?prefix=${prefix.toLowerCase()}`, { token: a.token });
    const body = (await res.json()) as { users: { id: string }[] };
    expect(body.users.map((u) => u.id)).toEqual([b.id]);
  });

  it('finds people by the start of their display name too, case and look-alikes folded', async () => {
    const tag = crypto.randomUUID().slice(0, 6).replace(/[0-9]/g, 'x');
    const [a, b] = [await guest(), await guest()];
    const set = await api('/me/profile', {
      method: 'PATCH',
      json: { displayName: `Quill ${tag} Baker` },
      token: b.token,
    });
    expect(set.status).toBe(200);
    const search = async (prefix: string) => {
      const res = await api(`/users?prefix=${encodeURIComponent(prefix)}`, { token: a.token });
      expect(res.status).toBe(200);
      return ((await res.json()) as { users: { id: string }[] }).users.map((u) => u.id);
    };
    expect(await search(`quill ${tag}`)).toEqual([b.id]);
    // A capital I for the l's, as a look-alike would be typed or pasted.
    expect(await search(`QuiII ${tag.toUpperCase()}`)).toEqual([b.id]);
    expect(await search(`Baker ${tag}`)).toEqual([]);
    // The searcher is not listed by their own display name.
    expect(await search(`quill ${tag}`.slice(0, 4))).not.toContain(a.id);
  });
});

describe('read cursors for new members', () => {
  it('starts a new member of a busy room with nothing unread', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    await say(s, 'before you came');
    await drain(room.id);
    const b = await guest();
    await join(room.id, b.token);
    const list = (await (await api('/chats', { token: b.token })).json()) as {
      chats: { id: string; unread: number; readSeq: number }[];
    };
    expect(list.chats.find((c) => c.id === room.id)).toMatchObject({ unread: 0, readSeq: 1 });
  });
});
