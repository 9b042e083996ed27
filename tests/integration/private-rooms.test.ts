/**
 * Private rooms (issue 12): invisible in the room browser and search to non-members,
 * unreadable through every route and frame, joined only by invitation — a person added by
 * a moderator, or an invite link that expires, runs out of uses and can be revoked.
 */
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  api,
  call,
  connect,
  expectRefusedSocket,
  drain,
  expectError,
  guest,
  type Guest,
  join,
  openRoom,
  ORIGIN,
  say,
  uniqueName,
} from '../helpers';
import { byType, type Frame } from '../socket-client';

const word = () => `pw${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;

async function privateRoom(owner: Guest) {
  const name = uniqueName('secret');
  const res = await call('POST', '/rooms', owner.token, { name, private: true });
  expect(res.status).toBe(201);
  const { room } = (await res.json()) as { room: { id: string; name: string; kind: string } };
  expect(room.kind).toBe('private');
  return room;
}

async function newInvite(roomId: string, token: string, maxUses = 5, expiresInSeconds = 3600) {
  const res = await call('POST', `/rooms/${roomId}/invites`, token, { expiresInSeconds, maxUses });
  expect(res.status).toBe(201);
  return ((await res.json()) as { invite: { id: string; token: string } }).invite;
}

const useInvite = (token: string, user: Guest) => call('POST', `/invites/${token}`, user.token);

describe('private rooms: invisible and unreadable to non-members', () => {
  it('is missing from the room browser and search for a non-member, present for a member', async () => {
    const [a, outsider] = [await guest(), await guest()];
    const room = await privateRoom(a);
    const w = word();
    const s = await openRoom(room.id, a.token);
    await say(s, `the ${w} plan`);
    await drain(room.id);

    const browse = async (token: string) =>
      (await (await call('GET', `/rooms?q=${encodeURIComponent(room.name)}`, token)).json()) as {
        rooms: { id: string }[];
      };
    expect((await browse(outsider.token)).rooms).toEqual([]);
    expect((await browse(a.token)).rooms).toMatchObject([{ id: room.id, kind: 'private' }]);

    const search = async (token: string, q: string) => {
      const res = await api(`/search?${new URLSearchParams({ q })}`, { token });
      return { status: res.status, body: (await res.json()) as { results?: { roomId: string }[] } };
    };
    expect((await search(a.token, w)).body.results!.map((r) => r.roomId)).toEqual([room.id]);
    expect((await search(outsider.token, w)).body.results).toEqual([]);
    // Naming the room does not find it either (by id or by name): the answer a room that
    // does not exist gets, not a hint that it does.
    for (const [q, none] of [
      [`${w} in:${room.id}`, `${w} in:${crypto.randomUUID()}`],
      [`${w} in:#${room.name}`, `${w} in:#${uniqueName('nothing')}`],
    ] as const) {
      const [hidden, missing] = [
        await search(outsider.token, q),
        await search(outsider.token, none),
      ];
      expect(hidden.status, q).toBe(missing.status);
      expect(hidden.status, q).toBe(400);
    }
    expect((await search(a.token, `${w} in:${room.id}`)).body.results).toHaveLength(1);
  });

  it('answers 404 to a non-member on every route: room, history, around, online, members, join, admin, socket', async () => {
    const [a, outsider] = [await guest(), await guest()];
    const room = await privateRoom(a);
    const s = await openRoom(room.id, a.token);
    const { seq } = await say(s, 'for members only');
    await drain(room.id);
    const base = `/rooms/${room.id}`;
    for (const [method, path] of [
      ['GET', base],
      ['GET', `${base}/messages`],
      ['GET', `${base}/messages?around=${seq}`],
      ['GET', `${base}/messages?after=0`],
      ['GET', `${base}/online`],
      ['GET', `${base}/members`],
      ['GET', `${base}/admin`],
      ['POST', `${base}/join`],
      ['GET', `${base}/invites`],
      ['POST', `${base}/members`],
    ] as const) {
      const res = await call(
        method,
        path,
        outsider.token,
        method === 'POST' ? { userId: outsider.id } : undefined,
      );
      await expectError(res, 404, 'room_not_found');
    }
    await expectRefusedSocket(`${base}/ws`, outsider.token, 'room_not_found');
    // Nor a read cursor on it (no membership to set).
    await expectError(
      await call('PUT', `${base}/read`, outsider.token, { seq: 1 }),
      403,
      'not_a_member',
    );
  });

  it('sends its activity notices to members only', async () => {
    const [a, b, outsider] = [await guest(), await guest(), await guest()];
    const room = await privateRoom(a);
    expect(
      (await call('POST', `/rooms/${room.id}/members`, a.token, { userId: b.id })).status,
    ).toBe(200);
    const lobby = async (g: Guest) => {
      const { socket } = await connect('/lobby/ws', g.token);
      await socket!.q.take(byType('hello'));
      return socket!;
    };
    const [lb, lo] = [await lobby(b), await lobby(outsider)];
    const s = await openRoom(room.id, a.token);
    await say(s, 'psst');
    const activity = (f: Frame) => f.type === 'activity' && f.roomId === room.id;
    expect(await lb.q.take(activity)).toMatchObject({ last: { text: 'psst' } });
    // Then a global-room notice, which every tab gets, in order after anything sent before.
    const marker = `marker ${crypto.randomUUID()}`;
    await say(await openRoom('global', a.token), marker);
    await lo.q.take(
      (f) =>
        f.type === 'activity' &&
        f.roomId === 'global' &&
        (f.last as { text: string }).text === marker,
    );
    expect(lo.q.frames.filter(activity)).toEqual([]);
  });
});

describe('private rooms: joined by invitation', () => {
  it('lets a moderator add a person, who can then read and connect; a member cannot add anyone', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const room = await privateRoom(a);
    const s = await openRoom(room.id, a.token);
    expect(
      (await call('POST', `/rooms/${room.id}/members`, a.token, { userId: b.id })).status,
    ).toBe(200);
    expect(await s.q.take((f) => f.type === 'notice')).toMatchObject({
      notice: { kind: 'invited', actor: { id: a.id }, subject: { id: b.id } },
    });
    await openRoom(room.id, b.token);
    await expectError(
      await call('POST', `/rooms/${room.id}/members`, b.token, { userId: c.id }),
      403,
      'forbidden',
    );
    await expectError(
      await call('POST', `/rooms/${room.id}/members`, a.token, { userId: 'nobody' }),
      404,
      'user_not_found',
    );
  });

  it('joins by link once per person, and refuses a link that ran out of uses', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const room = await privateRoom(a);
    const invite = await newInvite(room.id, a.token, 1);
    expect(invite.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const joined = await useInvite(invite.token, b);
    expect(joined.status).toBe(200);
    expect(await joined.json()).toEqual({ ok: true, roomId: room.id });
    // Following it again as a member spends nothing; someone else finds it used up.
    expect((await useInvite(invite.token, b)).status).toBe(200);
    await expectError(await useInvite(invite.token, c), 410, 'invite_invalid');
    await openRoom(room.id, b.token);
    // Only the hash is stored.
    const row = await env.DB.prepare('SELECT token_hash, uses FROM room_invites WHERE id = ?')
      .bind(invite.id)
      .first<{ token_hash: string; uses: number }>();
    expect(row).toMatchObject({ uses: 1 });
    expect(row!.token_hash).not.toContain(invite.token);
  });

  it('names the room to someone holding a link, spending nothing, and refuses as joining does', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const room = await privateRoom(a);
    const invite = await newInvite(room.id, a.token, 1);
    const peek = (user: Guest, token = invite.token) =>
      call('GET', `/invites/${token}`, user.token);
    for (let i = 0; i < 3; i += 1) {
      const res = await peek(b);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ room: { id: room.id, name: room.name }, member: false });
    }
    // Asking spent nothing: the one use is still there for b to join with.
    expect((await useInvite(invite.token, b)).status).toBe(200);
    expect(await (await peek(b)).json()).toMatchObject({ member: true });
    await expectError(await peek(c), 410, 'invite_invalid');
    await expectError(await peek(c, 'A'.repeat(32)), 404, 'invite_invalid');
    expect((await call('PUT', `/rooms/${room.id}/bans/${c.id}`, a.token)).status).toBe(200);
    await expectError(await peek(c), 403, 'banned');
  });

  it('refuses an expired link and a revoked one; lists only live links, to moderators', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await privateRoom(a);
    const expiring = await newInvite(room.id, a.token, 5, 60);
    const revoked = await newInvite(room.id, a.token);
    const live = await newInvite(room.id, a.token);
    // The link's hour passes.
    await env.DB.prepare('UPDATE room_invites SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, expiring.id)
      .run();
    expect((await call('DELETE', `/rooms/${room.id}/invites/${revoked.id}`, a.token)).status).toBe(
      200,
    );
    await expectError(
      await call('DELETE', `/rooms/${room.id}/invites/${revoked.id}`, a.token),
      404,
      'not_found',
    );
    const expired = await expectError(await useInvite(expiring.token, b), 410, 'invite_invalid');
    expect(expired.message).toMatch(/expired/);
    const gone = await expectError(await useInvite(revoked.token, b), 410, 'invite_invalid');
    expect(gone.message).toMatch(/revoked/);
    await expectError(await useInvite('A'.repeat(32), b), 404, 'invite_invalid');
    await expectError(await useInvite('short', b), 400, 'validation_failed');

    const listed = (await (await call('GET', `/rooms/${room.id}/invites`, a.token)).json()) as {
      invites: { id: string; token?: string }[];
    };
    expect(listed.invites.map((i) => i.id)).toEqual([live.id]);
    expect(listed.invites[0]!.token).toBeUndefined();
    // Still a stranger: the room stays hidden.
    await expectError(await call('GET', `/rooms/${room.id}`, b.token), 404, 'room_not_found');
    expect((await useInvite(live.token, b)).status).toBe(200);
    expect((await call('GET', `/rooms/${room.id}`, b.token)).status).toBe(200);
  });

  it("revokes a moderator's links when they are demoted or banned, for good; the owner's stay", async () => {
    const [a, m, x, y] = [await guest(), await guest(), await guest(), await guest()];
    const room = await privateRoom(a);
    const owners = await newInvite(room.id, a.token);
    expect((await useInvite(owners.token, m)).status).toBe(200);
    expect((await call('PUT', `/rooms/${room.id}/moderators/${m.id}`, a.token)).status).toBe(200);
    const [first, second] = [await newInvite(room.id, m.token), await newInvite(room.id, m.token)];
    expect((await useInvite(first.token, x)).status).toBe(200);

    expect((await call('DELETE', `/rooms/${room.id}/moderators/${m.id}`, a.token)).status).toBe(
      200,
    );
    const stopped = await expectError(await useInvite(second.token, y), 410, 'invite_invalid');
    expect(stopped.message).toBe('This invite link was revoked');
    const ids = async () =>
      (
        (await (await call('GET', `/rooms/${room.id}/invites`, a.token)).json()) as {
          invites: { id: string }[];
        }
      ).invites.map((i) => i.id);
    expect(await ids()).toEqual([owners.id]);

    // A moderator again: the old links stay revoked (a leaked one does not come back).
    expect((await call('PUT', `/rooms/${room.id}/moderators/${m.id}`, a.token)).status).toBe(200);
    await expectError(await useInvite(second.token, y), 410, 'invite_invalid');
    // A link made since works until they are banned.
    const third = await newInvite(room.id, m.token);
    expect(await ids()).toEqual([third.id, owners.id]);
    expect((await call('PUT', `/rooms/${room.id}/bans/${m.id}`, a.token)).status).toBe(200);
    await expectError(await useInvite(third.token, y), 410, 'invite_invalid');
    expect(await ids()).toEqual([owners.id]);
    await expectError(await call('GET', `/rooms/${room.id}`, y.token), 404, 'room_not_found');
    expect((await useInvite(owners.token, y)).status).toBe(200);
  });

  it("revokes a moderator's links when they leave: back and a moderator again, the links stay dead", async () => {
    const [a, m, y] = [await guest(), await guest(), await guest()];
    const room = await privateRoom(a);
    expect(
      (await call('POST', `/rooms/${room.id}/members`, a.token, { userId: m.id })).status,
    ).toBe(200);
    expect((await call('PUT', `/rooms/${room.id}/moderators/${m.id}`, a.token)).status).toBe(200);
    const link = await newInvite(room.id, m.token);
    expect((await call('POST', `/rooms/${room.id}/leave`, m.token)).status).toBe(200);
    await expectError(await useInvite(link.token, y), 410, 'invite_invalid');
    expect(
      (await call('POST', `/rooms/${room.id}/members`, a.token, { userId: m.id })).status,
    ).toBe(200);
    expect((await call('PUT', `/rooms/${room.id}/moderators/${m.id}`, a.token)).status).toBe(200);
    const stopped = await expectError(await useInvite(link.token, y), 410, 'invite_invalid');
    expect(stopped.message).toBe('This invite link was revoked');
  });

  it('keeps its name out of the answer to someone who picks a look-alike name', async () => {
    const [a, outsider] = [await guest(), await guest()];
    const room = await privateRoom(a);
    // Cyrillic "е" for the Latin "e": a look-alike, refused, without the private name.
    const lookalike = room.name.replace('e', '\u0435');
    const refused = await expectError(
      await call('POST', '/rooms', outsider.token, { name: lookalike }),
      409,
      'name_too_similar',
    );
    expect(refused.message).toBe(
      'That name looks the same as an existing room; choose a clearly different one',
    );
    // A public room's name is no secret: its look-alike is told which.
    const open = await call('POST', '/rooms', a.token, { name: uniqueName('openroom') });
    const { room: shown } = (await open.json()) as { room: { name: string } };
    const told = await expectError(
      await call('POST', '/rooms', outsider.token, { name: shown.name.replace('e', '\u0435') }),
      409,
      'name_too_similar',
    );
    expect(told.message).toContain(`"${shown.name}"`);
  });

  it('cannot be embedded: its owner may keep a list, but no site finds the room', async () => {
    const a = await guest();
    const room = await privateRoom(a);
    const site = 'https://example.com';
    const res = await call('PUT', `/rooms/${room.id}/embed-origins`, a.token, { origins: [site] });
    expect(await res.json()).toEqual({ origins: [site], private: true });
    const page = await exports.default.fetch(`${ORIGIN}/embed/${room.id}`, {
      headers: { 'sec-fetch-dest': 'iframe', referer: `${site}/shop` },
    });
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain(room.name);
    const loader = await exports.default.fetch(`${ORIGIN}/api/embed/${room.id}`, {
      headers: { origin: site },
    });
    await expectError(loader, 404, 'room_not_found');
    expect(loader.headers.get('access-control-allow-origin')).toBeNull();
    const visitor = await api('/visitors', {
      method: 'POST',
      json: { room: room.id, origin: site, name: uniqueName('v') },
    });
    await expectError(visitor, 404, 'room_not_found');
    // Nobody else learns the room exists from its embedding settings.
    const outsider = await guest();
    await expectError(
      await call('PUT', `/rooms/${room.id}/embed-origins`, outsider.token, { origins: [site] }),
      404,
      'room_not_found',
    );
  });
});
