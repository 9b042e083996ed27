/**
 * Issue 10, visitors without third-party storage: a visitor asks only for a name and gets a
 * token scoped to one embedded room and the site it was made on. What a host page (or anyone
 * holding the token) can and cannot do with it.
 */
import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  api,
  connect,
  createRoom,
  drain,
  embeddedRoom,
  expectError,
  from,
  guest,
  history,
  join,
  newVisitor,
  ORIGIN,
  OTHER_SITE,
  say,
  SITE,
  STRANGER,
  uniqueName,
  visitorOf,
} from '../helpers';
import worker from '../../src/worker/index';

describe('a new visitor', () => {
  it('is made from a name alone, a guest who belongs to the embedded room only', async () => {
    const { room } = await embeddedRoom();
    const name = uniqueName('Visitor');
    const visitor = await visitorOf(room.id, SITE, name);
    expect({ name: visitor.name, guest: visitor.guest }).toEqual({ name, guest: true });
    const me = await api('/me', { token: visitor.token });
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(visitor.id);
    // In the room, not in the global room: a visitor is not a member of Parlor at large.
    expect((await api(`/rooms/${room.id}/messages`, { token: visitor.token })).status).toBe(200);
    await expectError(
      await api('/rooms/global/messages', { token: visitor.token }),
      403,
      'forbidden',
    );
  });

  it('sends and is seen by members under their name', async () => {
    const { owner, room } = await embeddedRoom();
    const visitor = await visitorOf(room.id);
    const { socket } = await connect(`/rooms/${room.id}/ws`, visitor.token);
    await socket!.q.take((f) => f.type === 'hello');
    await say(socket!, 'Hello from the shop');
    socket!.close();
    await drain(room.id);
    const page = await history(room.id, owner.token);
    expect(page.messages.at(-1)).toMatchObject({
      text: 'Hello from the shop',
      author: { id: visitor.id, name: visitor.name, guest: true },
    });
  });

  it.each([
    [{ origin: STRANGER }, 403, 'origin_not_allowed'],
    [{ origin: 'http://shop.example' }, 400, 'validation_failed'],
    [{ room: 'no-such-room' }, 404, 'room_not_found'],
    [{ room: 'global' }, 403, 'origin_not_allowed'],
    [{ name: '' }, 400, 'validation_failed'],
    [{ name: 'a\u202Eb' }, 400, 'validation_failed'],
  ] as const)('is refused for %o', async (change, status, code) => {
    const { room } = await embeddedRoom();
    const res = await newVisitor({ room: room.id, origin: SITE, name: uniqueName('v'), ...change });
    await expectError(res, status, code);
  });

  it('cannot take a name that an account has, or one that looks like it', async () => {
    const { room } = await embeddedRoom();
    const member = await guest(uniqueName('Member'));
    const res = await newVisitor({ room: room.id, origin: SITE, name: member.name });
    await expectError(res, 409, 'username_taken');
  });

  it('cannot be made from another site (the app origin only)', async () => {
    const { room } = await embeddedRoom();
    const res = await exports.default.fetch(`${ORIGIN}/api/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE },
      body: JSON.stringify({ room: room.id, origin: SITE, name: uniqueName('v') }),
    });
    await expectError(res, 403, 'origin_not_allowed');
  });
});

describe('before a visitor writes', () => {
  it('shows the room’s latest messages to its listed sites only, without deleted ones or files', async () => {
    const { owner, room } = await embeddedRoom();
    // Three members take turns (each under the per-person rate): 22 notes after the owner's two.
    const people = [await guest(), await guest(), await guest()];
    for (const who of people) await join(room.id, who.token);
    const sockets = [];
    for (const who of [owner, ...people]) {
      const { socket } = await connect(`/rooms/${room.id}/ws`, who.token);
      await socket!.q.take((f) => f.type === 'hello');
      sockets.push(socket!);
    }
    await say(sockets[0]!, 'Welcome to the shop');
    const notes = [];
    for (let i = 0; i < 22; i += 1) notes.push(await say(sockets[1 + (i % 3)]!, `note ${i}`));
    // One of the latest deleted, and the newest with a file.
    const gone = notes.at(-2)!;
    sockets[3]!.send({ type: 'delete', target: gone.seq });
    await sockets[3]!.q.take((f) => f.type === 'delete');
    const upload = await api(`/rooms/${room.id}/files?name=notes.txt`, {
      method: 'POST',
      token: owner.token,
      body: new TextEncoder().encode('opening hours'),
      headers: { 'content-type': 'application/octet-stream', 'content-length': '13' },
    });
    expect(upload.status).toBe(201);
    const { file } = (await upload.json()) as { file: { id: string } };
    const withFile = `with-file-${crypto.randomUUID()}`;
    sockets[0]!.send({ type: 'send', clientId: withFile, text: 'our hours', files: [file.id] });
    await sockets[0]!.q.take((f) => f.type === 'ack' && f.clientId === withFile);
    for (const s of sockets) s.close();
    await drain(room.id);
    const preview = (roomId: string, origin: string) =>
      api(`/visitors/preview?${new URLSearchParams({ room: roomId, origin })}`);
    const res = await preview(room.id, SITE);
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as {
      messages: { seq: number; text: string; files?: unknown }[];
    };
    // Of the latest 20, oldest first, from no session at all: the deleted one left out, the
    // file's message without its file (files are served to sessions only).
    expect(messages.map((m) => m.text)).toEqual([
      ...Array.from({ length: 18 }, (_, i) => `note ${i + 3}`).filter((t) => t !== 'note 20'),
      'note 21',
      'our hours',
    ]);
    expect(messages.filter((m) => 'files' in m)).toEqual([]);
    await expectError(await preview(room.id, STRANGER), 403, 'origin_not_allowed');
    await expectError(await preview('no-such-room', SITE), 404, 'room_not_found');
    // A room no site lists, and the same room once private, show nothing.
    const plain = await createRoom((await guest()).token);
    await expectError(await preview(plain.id, SITE), 403, 'origin_not_allowed');
    await api(`/rooms/${room.id}/privacy`, {
      method: 'PUT',
      json: { private: true },
      token: owner.token,
    });
    await expectError(await preview(room.id, SITE), 404, 'room_not_found');
  });
});

describe("a visitor's token", () => {
  it('reaches no other chat, list, person or setting', async () => {
    const { room } = await embeddedRoom();
    const other = await embeddedRoom();
    const visitor = await visitorOf(room.id);
    const member = await guest();
    const refused = [
      await api(`/rooms/${other.room.id}/messages`, { token: visitor.token }),
      await api(`/rooms/${other.room.id}`, { token: visitor.token }),
      await api('/chats', { token: visitor.token }),
      await api('/rooms', { token: visitor.token }),
      await api('/users?prefix=a', { token: visitor.token }),
      await api('/presence', { token: visitor.token }),
      await api('/dms', { method: 'POST', json: { userId: member.id }, token: visitor.token }),
      await api(`/rooms/${other.room.id}/join`, { method: 'POST', json: {}, token: visitor.token }),
      await api(`/rooms/${room.id}/leave`, { method: 'POST', json: {}, token: visitor.token }),
      await api('/me', {
        method: 'PATCH',
        json: { username: uniqueName('x') },
        token: visitor.token,
      }),
      await api('/auth/claim', {
        method: 'POST',
        json: { password: 'correct-Horse-battery-9' },
        token: visitor.token,
      }),
      await api(`/rooms/${room.id}/embed-origins`, { token: visitor.token }),
    ];
    for (const res of refused) await expectError(res, 403, 'forbidden');
    const { res, socket } = await connect(`/rooms/${other.room.id}/ws`, visitor.token);
    expect(socket).toBeNull();
    await expectError(res, 403, 'forbidden');
    const lobby = await connect('/lobby/ws', visitor.token);
    expect(lobby.socket).toBeNull();
    await expectError(lobby.res, 403, 'forbidden');
    // A person by id, as a mention names them: allowed (the widget shows "@name", not "@someone").
    const named = await api(`/users/${member.id}`, { token: visitor.token });
    expect(named.status).toBe(200);
    expect(((await named.json()) as { user: { name: string } }).user.name).toBe(member.name);
  });

  it("reads its own room's rules (slow mode, archive), never a moderator's lists", async () => {
    const { owner, room } = await embeddedRoom();
    const other = await embeddedRoom();
    const visitor = await visitorOf(room.id);
    const slow = await api(`/rooms/${room.id}/slow-mode`, {
      method: 'PUT',
      json: { seconds: 20 },
      token: owner.token,
    });
    expect(slow.status).toBe(200);
    const res = await api(`/rooms/${room.id}/admin`, { token: visitor.token });
    expect(res.status).toBe(200);
    const { room: rules } = (await res.json()) as {
      room: { slowModeSeconds: number; archived: boolean; role: string | null };
    };
    expect(rules).toMatchObject({ slowModeSeconds: 20, archived: false, role: 'member' });
    const refused = [
      await api(`/rooms/${other.room.id}/admin`, { token: visitor.token }),
      await api(`/rooms/${room.id}/audit`, { token: visitor.token }),
      await api(`/rooms/${room.id}/bans`, { token: visitor.token }),
      await api(`/rooms/${room.id}/invites`, { token: visitor.token }),
      await api(`/rooms/${room.id}/identity-secret`, { token: visitor.token }),
    ];
    for (const r of refused) await expectError(r, 403, 'forbidden');
  });

  it('is refused from any site but Parlor and the one it was made on', async () => {
    const { room } = await embeddedRoom();
    const visitor = await visitorOf(room.id, SITE);
    expect((await from(SITE, '/me', visitor.token)).status).toBe(200);
    await expectError(await from(STRANGER, '/me', visitor.token), 403, 'origin_not_allowed');
    // Another site on the same room's list is still another site.
    await expectError(await from(OTHER_SITE, '/me', visitor.token), 403, 'origin_not_allowed');
    for (const origin of [STRANGER, OTHER_SITE]) {
      const { res, socket } = await connect(`/rooms/${room.id}/ws`, visitor.token, { origin });
      expect(socket).toBeNull();
      await expectError(res, 403, 'origin_not_allowed');
    }
  });

  it("opens the room's socket from its own site, which no other session can", async () => {
    const { owner, room } = await embeddedRoom();
    const visitor = await visitorOf(room.id, SITE);
    const { socket } = await connect(`/rooms/${room.id}/ws`, visitor.token, { origin: SITE });
    const hello = await socket!.q.take((f) => f.type === 'hello');
    expect(hello.you).toMatchObject({ id: visitor.id, name: visitor.name });
    socket!.close();
    // The owner's own session, presented from the listed site, is a hijack: refused.
    const hijack = await connect(`/rooms/${room.id}/ws`, owner.token, { origin: SITE });
    expect(hijack.socket).toBeNull();
    await expectError(hijack.res, 403, 'origin_not_allowed');
  });

  it('ends when the owner takes the site off the list', async () => {
    const { owner, room } = await embeddedRoom();
    const visitor = await visitorOf(room.id, SITE);
    await api(`/rooms/${room.id}/embed-origins`, {
      method: 'PUT',
      json: { origins: [OTHER_SITE] },
      token: owner.token,
    });
    await expectError(await api('/me', { token: visitor.token }), 401, 'session_expired');
  });

  it('is revoked by logout from the host page, closing its sockets', async () => {
    const { room } = await embeddedRoom();
    const visitor = await visitorOf(room.id, SITE);
    const { socket } = await connect(`/rooms/${room.id}/ws`, visitor.token);
    await socket!.q.take((f) => f.type === 'hello');
    const logout = (origin: string, roomId = room.id, token = visitor.token) =>
      from(origin, `/embed/${roomId}/logout`, token, { method: 'POST' });
    // Not from another site, and not through another room's route.
    await expectError(await logout(STRANGER), 403, 'origin_not_allowed');
    const other = await embeddedRoom();
    await expectError(await logout(SITE, other.room.id), 403, 'forbidden');
    const res = await logout(SITE);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect((await socket!.q.closedWith()).code).toBe(1008);
    await expectError(await api('/me', { token: visitor.token }), 401, 'session_expired');
  });

  it("cannot sign out anyone but a visitor through the host page's route", async () => {
    const { room } = await embeddedRoom();
    const member = await guest();
    const res = await from(SITE, `/embed/${room.id}/logout`, member.token, { method: 'POST' });
    await expectError(res, 403, 'forbidden');
    expect((await api('/me', { token: member.token })).status).toBe(200);
  });
});

describe('people outside the widget', () => {
  it('neither find a visitor by name nor open a DM or group with one, which they could not read', async () => {
    const { room } = await embeddedRoom();
    const visitor = await visitorOf(room.id, SITE, uniqueName('Shopper'));
    const [member, other] = [await guest(), await guest()];
    const found = await api(`/users?prefix=${encodeURIComponent(visitor.name)}`, {
      token: member.token,
    });
    expect(((await found.json()) as { users: unknown[] }).users).toEqual([]);
    const dm = await api('/dms', {
      method: 'POST',
      json: { userId: visitor.id },
      token: member.token,
    });
    expect((await expectError(dm, 403, 'forbidden')).field).toBe('userId');
    const group = await api('/dms/group', {
      method: 'POST',
      json: { userIds: [other.id, visitor.id] },
      token: member.token,
    });
    expect((await expectError(group, 403, 'forbidden')).field).toBe('userIds.1');
    // Their name still shows where they wrote: the profile card of a visitor answers.
    expect((await api(`/users/${visitor.id}`, { token: member.token })).status).toBe(200);
  });
});

describe('a site taken off the list', () => {
  it('ends its visitors for good: sockets closed at once, and listing it again revives none', async () => {
    const { owner, room } = await embeddedRoom([SITE, OTHER_SITE]);
    const onSite = await visitorOf(room.id, SITE);
    const onOther = await visitorOf(room.id, OTHER_SITE);
    const a = (await connect(`/rooms/${room.id}/ws`, onSite.token)).socket!;
    const b = (await connect(`/rooms/${room.id}/ws`, onOther.token)).socket!;
    await a.q.take((f) => f.type === 'hello');
    await b.q.take((f) => f.type === 'hello');
    const put = (origins: string[]) =>
      api(`/rooms/${room.id}/embed-origins`, {
        method: 'PUT',
        json: { origins },
        token: owner.token,
      });
    expect((await put([OTHER_SITE])).status).toBe(200);
    // The removed site's visitor is closed (policy); the other site's is untouched.
    expect((await a.q.closedWith()).code).toBe(1008);
    await say(b, 'still here');
    // Told why (the widget says the site can no longer show the chat), not just "ended".
    const why = await expectError(
      await from(SITE, `/rooms/${room.id}/messages`, onSite.token),
      401,
      'session_expired',
    );
    expect(why).toMatchObject({
      field: 'origin',
      message: 'This site may no longer embed this chat',
    });
    // Ended in D1 by the same change, not merely refused while the site is off the list.
    const row = await env.DB.prepare(
      `SELECT count(*) AS live FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE u.id = ?1 AND s.revoked_at IS NULL`,
    )
      .bind(onSite.id)
      .first<{ live: number }>();
    expect(row?.live).toBe(0);
    // Listed again: the old token stays dead, for reading, posting and the socket alike.
    expect((await put([SITE, OTHER_SITE])).status).toBe(200);
    await expectError(
      await from(SITE, `/rooms/${room.id}/messages`, onSite.token),
      401,
      'session_expired',
    );
    // Listed again, the site may show the chat: the old session has simply ended.
    const ended = await expectError(await from(SITE, '/me', onSite.token), 401, 'session_expired');
    expect(ended.field).toBeUndefined();
    const again = await connect(`/rooms/${room.id}/ws`, onSite.token, { origin: SITE });
    expect(again.socket).toBeNull();
    await expectError(again.res, 401, 'session_expired');
    // The other site's visitor lived through both changes; the site gets new visitors.
    expect((await from(OTHER_SITE, `/rooms/${room.id}/messages`, onOther.token)).status).toBe(200);
    const fresh = await visitorOf(room.id, SITE);
    expect(fresh.id).not.toBe(onSite.id);
    expect((await from(SITE, `/rooms/${room.id}/messages`, fresh.token)).status).toBe(200);
    b.close();
  });

  it('ends them even when the list becomes empty, and an unchanged save ends nobody', async () => {
    const { owner, room } = await embeddedRoom([SITE]);
    const visitor = await visitorOf(room.id, SITE);
    const put = (origins: string[]) =>
      api(`/rooms/${room.id}/embed-origins`, {
        method: 'PUT',
        json: { origins },
        token: owner.token,
      });
    expect((await put([SITE, OTHER_SITE])).status).toBe(200);
    expect((await from(SITE, '/me', visitor.token)).status).toBe(200);
    expect((await put([])).status).toBe(200);
    expect((await put([SITE])).status).toBe(200);
    await expectError(await from(SITE, '/me', visitor.token), 401, 'session_expired');
  });

  describe('a room made private', () => {
    it('ends its widget sessions at once, for good; its owner still reads and keeps the list', async () => {
      const { owner, room } = await embeddedRoom([SITE, OTHER_SITE]);
      const visitor = await visitorOf(room.id, SITE);
      const socket = (await connect(`/rooms/${room.id}/ws`, visitor.token)).socket!;
      await socket.q.take((f) => f.type === 'hello');
      const privacy = (isPrivate: boolean) =>
        api(`/rooms/${room.id}/privacy`, {
          method: 'PUT',
          json: { private: isPrivate },
          token: owner.token,
        });
      expect((await privacy(true)).status).toBe(200);
      expect((await socket.q.closedWith()).code).toBe(1008);
      for (const res of [
        await from(SITE, `/rooms/${room.id}/messages`, visitor.token),
        await from(SITE, '/me', visitor.token),
      ]) {
        await expectError(res, 401, 'session_expired');
      }
      const again = await connect(`/rooms/${room.id}/ws`, visitor.token, { origin: SITE });
      expect(again.socket).toBeNull();
      // No new visitor while private.
      await expectError(
        await newVisitor({ room: room.id, origin: SITE, name: uniqueName('v') }),
        404,
        'room_not_found',
      );

      // The owner sees the list, says it is private, and may still change it; others find no room.
      const listed = await api(`/rooms/${room.id}/embed-origins`, { token: owner.token });
      expect(await listed.json()).toEqual({ origins: [OTHER_SITE, SITE], private: true });
      const outsider = await guest();
      await expectError(
        await api(`/rooms/${room.id}/embed-origins`, { token: outsider.token }),
        404,
        'room_not_found',
      );
      await expectError(
        await api(`/rooms/${room.id}/identity-secret`, { token: outsider.token }),
        404,
        'room_not_found',
      );
      expect((await api(`/rooms/${room.id}/identity-secret`, { token: owner.token })).status).toBe(
        200,
      );

      // Public again: the old token stays dead; the site gets new visitors.
      expect((await privacy(false)).status).toBe(200);
      await expectError(await from(SITE, '/me', visitor.token), 401, 'session_expired');
      const fresh = await visitorOf(room.id, SITE);
      expect((await from(SITE, `/rooms/${room.id}/messages`, fresh.token)).status).toBe(200);
    });
  });
});

describe("a site the deployment's list for the global room dropped", () => {
  const GLOBAL_SITE = 'https://global-host.test'; // GLOBAL_EMBED_ORIGINS in tests/vitest.config.ts
  /** The Worker as a deploy without the site on its list runs it. */
  const withoutSite = (token: string) =>
    worker.fetch(
      new Request(`${ORIGIN}/api/me`, {
        headers: { origin: GLOBAL_SITE, authorization: `Bearer ${token}` },
      }),
      { ...env, GLOBAL_EMBED_ORIGINS: '' },
      createExecutionContext(),
    );

  it('ends its visitors at their next use, for good: listing it again revives none', async () => {
    const visitor = await visitorOf('global', GLOBAL_SITE);
    const bystander = await visitorOf('global', GLOBAL_SITE);
    expect((await from(GLOBAL_SITE, '/me', visitor.token)).status).toBe(200);
    await expectError(await withoutSite(visitor.token), 401, 'session_expired');
    // The deployment lists the site again: the visitor who came meanwhile stays ended; one
    // who did not come while it was off was never told, and lives on.
    await expectError(await from(GLOBAL_SITE, '/me', visitor.token), 401, 'session_expired');
    const socket = await connect('/rooms/global/ws', visitor.token, { origin: GLOBAL_SITE });
    expect(socket.socket).toBeNull();
    await expectError(socket.res, 401, 'session_expired');
    expect((await from(GLOBAL_SITE, '/me', bystander.token)).status).toBe(200);
  });
});

describe('a new visitor with a site that is not an exact origin', () => {
  it.each([
    'https://*.shop.example',
    'https://*',
    'http://localhost:0',
    'https://shop.example:65536',
    'https://shop.example/path',
    'https://user@shop.example',
    'javascript:alert(1)',
    'ftp://shop.example',
    'https://',
    'https://shop .example',
  ])('is refused for %j with 400 naming the field', async (origin) => {
    const { room } = await embeddedRoom();
    const res = await newVisitor({ room: room.id, origin, name: uniqueName('v') });
    const error = await expectError(res, 400, 'validation_failed');
    expect(error.field).toBe('origin');
  });

  it('is made for the same site written with capitals and its default port', async () => {
    const { room } = await embeddedRoom();
    const res = await newVisitor({
      room: room.id,
      origin: 'https://SHOP.example:443',
      name: uniqueName('v'),
    });
    expect(res.status).toBe(201);
    const { user } = (await res.json()) as { user: { site?: string; token: string } };
    expect(user.site).toBe(SITE);
    expect((await from(SITE, '/me', user.token)).status).toBe(200);
  });
});
