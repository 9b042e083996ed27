/**
 * A room's members as any member sees them (`GET /api/rooms/:id/member-list`), the member
 * count the room's admin answer carries for the header, and the chat-list mark of someone
 * added to a room.
 */
import { describe, expect, it } from 'vitest';
import { call, createRoom, expectError, guest, type Guest, join, uniqueName } from '../helpers';

interface Listed {
  members: { user: { id: string; name: string }; role: string }[];
  count: number;
  nextCursor: string | null;
}

async function listOf(roomId: string, user: Guest, query = ''): Promise<Listed> {
  const res = await call('GET', `/rooms/${roomId}/member-list${query}`, user.token);
  expect(res.status).toBe(200);
  return (await res.json()) as Listed;
}

async function privateRoom(owner: Guest) {
  const res = await call('POST', '/rooms', owner.token, {
    name: uniqueName('club'),
    private: true,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { room: { id: string } }).room;
}

describe('member list', () => {
  it('lists every member by username with their role and the count, a page at a time', async () => {
    const [owner, mod, b, c] = [await guest(), await guest(), await guest(), await guest()];
    const room = await createRoom(owner.token);
    for (const g of [mod, b, c]) await join(room.id, g.token);
    const promoted = await call('PUT', `/rooms/${room.id}/moderators/${mod.id}`, owner.token);
    expect(promoted.status).toBe(200);

    const byName = [owner, mod, b, c].sort((x, y) =>
      x.name.toLowerCase() < y.name.toLowerCase() ? -1 : 1,
    );
    const role = (g: Guest) => (g === owner ? 'owner' : g === mod ? 'moderator' : 'member');
    const all = await listOf(room.id, c);
    expect(all.count).toBe(4);
    expect(all.nextCursor).toBeNull();
    expect(all.members.map((m) => [m.user.id, m.role])).toEqual(byName.map((g) => [g.id, role(g)]));

    // Two pages of two: nobody twice, nobody missed.
    const first = await listOf(room.id, b, '?limit=2');
    expect(first.count).toBe(4);
    expect(first.nextCursor).not.toBeNull();
    const second = await listOf(
      room.id,
      b,
      `?limit=2&after=${encodeURIComponent(first.nextCursor!)}`,
    );
    expect([...first.members, ...second.members].map((m) => m.user.id)).toEqual(
      byName.map((g) => g.id),
    );
  });

  it('refuses a bad page size with the one error shape, naming the field', async () => {
    const owner = await guest();
    const room = await createRoom(owner.token);
    for (const limit of ['0', '101', 'many']) {
      const res = await call('GET', `/rooms/${room.id}/member-list?limit=${limit}`, owner.token);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: 'validation_failed', field: 'limit' },
      });
    }
  });

  it('answers 404 to a non-member of a private room, and lists it for a member', async () => {
    const [owner, b, outsider] = [await guest(), await guest(), await guest()];
    const room = await privateRoom(owner);
    await expectError(
      await call('GET', `/rooms/${room.id}/member-list`, outsider.token),
      404,
      'room_not_found',
    );
    expect(
      (await call('POST', `/rooms/${room.id}/members`, owner.token, { userId: b.id })).status,
    ).toBe(200);
    const listed = await listOf(room.id, b);
    expect(listed.count).toBe(2);
    expect(listed.members.map((m) => m.user.id).sort()).toEqual([owner.id, b.id].sort());
  });

  it('has no list for the global room or a DM', async () => {
    const [a, b] = [await guest(), await guest()];
    await expectError(await call('GET', '/rooms/global/member-list', a.token), 400, 'bad_request');
    const opened = await call('POST', '/dms', a.token, { userId: b.id });
    expect(opened.status).toBe(200);
    const { chat } = (await opened.json()) as { chat: { id: string } };
    await expectError(
      await call('GET', `/rooms/${encodeURIComponent(chat.id)}/member-list`, a.token),
      400,
      'bad_request',
    );
  });

  it('gives the member count in the admin answer, kept current by joins, leaves and removals', async () => {
    const [owner, b, c] = [await guest(), await guest(), await guest()];
    const room = await createRoom(owner.token);
    const count = async (user: Guest) => {
      const res = await call('GET', `/rooms/${room.id}/admin`, user.token);
      expect(res.status).toBe(200);
      return ((await res.json()) as { room: { memberCount?: number } }).room.memberCount;
    };
    expect(await count(owner)).toBe(1);
    await join(room.id, b.token);
    expect(
      (await call('POST', `/rooms/${room.id}/members`, owner.token, { userId: c.id })).status,
    ).toBe(200);
    expect(await count(b)).toBe(3);
    expect((await call('DELETE', `/rooms/${room.id}/members/${c.id}`, owner.token)).status).toBe(
      200,
    );
    expect((await call('POST', `/rooms/${room.id}/leave`, b.token)).status).toBe(200);
    expect(await count(owner)).toBe(1);
    // Everyone is in the global room: no count.
    expect(
      await (async () => {
        const res = await call('GET', '/rooms/global/admin', owner.token);
        return ((await res.json()) as { room: { memberCount?: number } }).room.memberCount;
      })(),
    ).toBeUndefined();
  });
});

describe('being added to a room', () => {
  it('marks the room unread in the added person’s chat list until they read it', async () => {
    const [owner, b] = [await guest(), await guest()];
    const room = await privateRoom(owner);
    const added = await call('POST', `/rooms/${room.id}/members`, owner.token, { userId: b.id });
    expect(added.status).toBe(200);
    const { seq } = (await added.json()) as { seq: number };
    // At once: the tabs the room's hub tells read the row right away, before the notice's
    // copy reaches D1.
    const row = async () => {
      const res = await call('GET', `/chats/${room.id}`, b.token);
      expect(res.status).toBe(200);
      return ((await res.json()) as { chat: { unread: number } }).chat;
    };
    expect(await row()).toMatchObject({ unread: 1 });
    // The owner's own room, made by them, is not news to them.
    const mine = await call('GET', `/chats/${room.id}`, owner.token);
    expect(((await mine.json()) as { chat: { unread: number } }).chat.unread).toBe(0);
    expect((await call('PUT', `/rooms/${room.id}/read`, b.token, { seq })).status).toBe(200);
    expect(await row()).toMatchObject({ unread: 0 });
  });
});
