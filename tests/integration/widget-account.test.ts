/**
 * Issue 10, "a person already signed in to Parlor may choose to chat as themselves": Parlor's
 * own popup (first-party, so the session cookie is sent) mints a widget session for the
 * signed-in account, scoped to one room and one listed site, listed among the account's
 * sessions and revocable there or by `Parlor('logout')`.
 */
import { env, exports } from 'cloudflare:workers';
import { SignJWT } from 'jose';
import { confirmEmbedded } from '../../src/worker/embed/origins';
import { describe, expect, it } from 'vitest';
import {
  api,
  connect,
  drain,
  embeddedRoom,
  expectError,
  from,
  history,
  join,
  ORIGIN,
  OTHER_SITE,
  register,
  say,
  SITE,
  STRANGER,
  testClientIp,
  uniqueName,
  visitorOf,
} from '../helpers';

/** An embedded room and an account that has joined it. */
async function roomWithMember() {
  const { room } = await embeddedRoom();
  const person = await register();
  await join(room.id, person.token);
  return { room, person };
}

function mint(roomId: string, origin: string, token?: string) {
  return api(`/rooms/${encodeURIComponent(roomId)}/widget-session`, {
    method: 'POST',
    json: { origin },
    ...(token && { token }),
  });
}

async function widgetToken(roomId: string, token: string, origin = SITE) {
  const res = await mint(roomId, origin, token);
  expect(res.status).toBe(201);
  const body = (await res.json()) as { token: string; roomId: string; origin: string };
  expect({ roomId: body.roomId, origin: body.origin }).toEqual({ roomId, origin });
  return body.token;
}

describe('chatting as your Parlor account in a widget', () => {
  it('is refused without a session, for an unlisted site, and before joining', async () => {
    const { room } = await embeddedRoom();
    const person = await register();
    await expectError(await mint(room.id, SITE), 401, 'unauthorized');
    await expectError(await mint(room.id, STRANGER, person.token), 403, 'origin_not_allowed');
    await expectError(await mint('no-such-room', SITE, person.token), 404, 'room_not_found');
    await expectError(
      await mint(room.id, 'http://shop.example', person.token),
      400,
      'validation_failed',
    );
    // The global room lists no site here (GLOBAL_EMBED_ORIGINS is empty in the tests).
    await expectError(await mint('global', SITE, person.token), 403, 'origin_not_allowed');
    await expectError(await mint(room.id, SITE, person.token), 403, 'not_a_member');
    const preview = await api(
      `/rooms/${room.id}/widget-session?origin=${encodeURIComponent(SITE)}`,
      { token: person.token },
    );
    expect(await preview.json()).toEqual({
      room: { id: room.id, name: room.name },
      origin: SITE,
      joins: true,
    });
    const refusedPreview = await api(
      `/rooms/${room.id}/widget-session?origin=${encodeURIComponent(STRANGER)}`,
      { token: person.token },
    );
    await expectError(refusedPreview, 403, 'origin_not_allowed');
  });

  it('is refused from another site’s page even with the cookie, and to a visitor', async () => {
    const { room, person } = await roomWithMember();
    // The host page cannot mint with the person's cookie: the app refuses foreign origins.
    const forged = await exports.default.fetch(`${ORIGIN}/api/rooms/${room.id}/widget-session`, {
      method: 'POST',
      headers: { origin: SITE, 'content-type': 'application/json', cookie: person.cookie },
      body: JSON.stringify({ origin: SITE }),
    });
    expect(forged.status).toBe(403);
    const visitorRes = await api('/visitors', {
      method: 'POST',
      json: { room: room.id, origin: SITE, name: uniqueName('v') },
      headers: { 'cf-connecting-ip': testClientIp() },
    });
    const visitor = ((await visitorRes.json()) as { user: { token: string } }).user;
    await expectError(await mint(room.id, SITE, visitor.token), 403, 'forbidden');
    // Nor can a widget session mint another.
    const widget = await widgetToken(room.id, person.token);
    await expectError(await mint(room.id, OTHER_SITE, widget), 403, 'forbidden');
  });

  it('chats as the account, in that room and from that site only', async () => {
    const { room } = await embeddedRoom();
    const other = await embeddedRoom();
    const person = await register();
    await join(room.id, person.token);
    await join(other.room.id, person.token);
    const token = await widgetToken(room.id, person.token);

    await env.DB.prepare('UPDATE users SET email = ?2, time_zone = ?3 WHERE id = ?1')
      .bind(person.id, 'private@example.com', 'Europe/Paris')
      .run();
    const me = await from(SITE, '/me', token);
    const user = ((await me.json()) as { user: { id: string; kind?: string } }).user;
    expect(user).toMatchObject({ id: person.id });
    expect(user.kind).toBeUndefined();
    // The host page can read the token: the account's private facts are not answered to it.
    expect(user).toMatchObject({ email: null, timeZone: null });
    const own = (await (await api('/me', { token: person.token })).json()) as { user: object };
    expect(own.user).toMatchObject({ email: 'private@example.com', timeZone: 'Europe/Paris' });
    expect((await from(SITE, `/rooms/${room.id}/messages`, token)).status).toBe(200);
    await expectError(await from(OTHER_SITE, '/me', token), 403, 'origin_not_allowed');
    await expectError(
      await from(STRANGER, `/rooms/${room.id}/messages`, token),
      403,
      'origin_not_allowed',
    );
    await expectError(
      await from(SITE, `/rooms/${other.room.id}/messages`, token),
      403,
      'forbidden',
    );
    await expectError(await from(SITE, '/chats', token), 403, 'forbidden');
    await expectError(await from(SITE, '/me/sessions', token), 403, 'forbidden');
    const elsewhere = await connect(`/rooms/${other.room.id}/ws`, token, { origin: SITE });
    expect(elsewhere.socket).toBeNull();
    const foreign = await connect(`/rooms/${room.id}/ws`, token, { origin: OTHER_SITE });
    expect(foreign.socket).toBeNull();

    const { socket } = await connect(`/rooms/${room.id}/ws`, token, { origin: SITE });
    const hello = await socket!.q.take((f) => f.type === 'hello');
    expect((hello.you as { id: string }).id).toBe(person.id);
    const ack = await say(socket!, 'from the shop, as myself');
    expect(ack.type).toBe('ack');
    socket!.close();
  });

  it('is listed among the account’s sessions, and revoking it there ends its socket', async () => {
    const { room, person } = await roomWithMember();
    const token = await widgetToken(room.id, person.token);
    const { socket } = await connect(`/rooms/${room.id}/ws`, token, { origin: SITE });
    await socket!.q.take((f) => f.type === 'hello');

    const listed = await api('/me/sessions', { token: person.token });
    const { sessions } = (await listed.json()) as {
      sessions: {
        id: string;
        current: boolean;
        widget?: { roomId: string; roomName: string; origin: string };
      }[];
    };
    const widget = sessions.filter((s) => s.widget);
    expect(widget.map((s) => s.widget)).toEqual([
      { roomId: room.id, roomName: room.name, origin: SITE },
    ]);
    expect(widget[0]!.current).toBe(false);

    const revoke = await api(`/me/sessions/${widget[0]!.id}/revoke`, {
      method: 'POST',
      json: {},
      token: person.token,
    });
    expect(revoke.status).toBe(200);
    const closed = await socket!.q.closedWith(5000);
    expect(closed.code).toBe(1008);
    await expectError(await from(SITE, '/me', token), 401, 'session_expired');
    // The account itself is untouched.
    expect((await api('/me', { token: person.token })).status).toBe(200);
  });

  it("ends with Parlor('logout'): that widget session only, never the account", async () => {
    const { room, person } = await roomWithMember();
    const token = await widgetToken(room.id, person.token);
    const second = await widgetToken(room.id, person.token, OTHER_SITE);
    const logout = (t: string, origin = SITE) =>
      from(origin, `/embed/${room.id}/logout`, t, { method: 'POST' });
    // The account's own app session cannot be ended through the site's route.
    await expectError(await logout(person.token), 403, 'forbidden');
    expect((await logout(token)).status).toBe(200);
    await expectError(await from(SITE, '/me', token), 401, 'session_expired');
    expect((await from(OTHER_SITE, '/me', second)).status).toBe(200);
    expect((await api('/me', { token: person.token })).status).toBe(200);
  });
});

describe('an account’s widget session when its site leaves the list', () => {
  const widgetOrigins = async (token: string) => {
    const res = await api('/me/sessions', { token });
    const { sessions } = (await res.json()) as { sessions: { widget?: { origin: string } }[] };
    return sessions.flatMap((s) => (s.widget ? [s.widget.origin] : []));
  };
  const setOrigins = (roomId: string, token: string, origins: string[]) =>
    api(`/rooms/${roomId}/embed-origins`, { method: 'PUT', json: { origins }, token });

  it('ends for good: socket closed, gone from the sessions list, not revived by re-listing', async () => {
    const { owner, room } = await embeddedRoom();
    const person = await register();
    await join(room.id, person.token);
    const token = await widgetToken(room.id, person.token);
    const other = await widgetToken(room.id, person.token, OTHER_SITE);
    const { socket } = await connect(`/rooms/${room.id}/ws`, token, { origin: SITE });
    await socket!.q.take((f) => f.type === 'hello');
    expect((await widgetOrigins(person.token)).sort()).toEqual([OTHER_SITE, SITE]);

    expect((await setOrigins(room.id, owner.token, [OTHER_SITE])).status).toBe(200);
    expect((await socket!.q.closedWith(5000)).code).toBe(1008);
    await expectError(await from(SITE, '/me', token), 401, 'session_expired');
    expect(await widgetOrigins(person.token)).toEqual([OTHER_SITE]);

    expect((await setOrigins(room.id, owner.token, [SITE, OTHER_SITE])).status).toBe(200);
    await expectError(
      await from(SITE, `/rooms/${room.id}/messages`, token),
      401,
      'session_expired',
    );
    const again = await connect(`/rooms/${room.id}/ws`, token, { origin: SITE });
    expect(again.socket).toBeNull();
    await expectError(again.res, 401, 'session_expired');
    expect(await widgetOrigins(person.token)).toEqual([OTHER_SITE]);
    // The other site's session and the account itself are untouched; the person may allow
    // the re-listed site again, which is a new session.
    expect((await from(OTHER_SITE, '/me', other)).status).toBe(200);
    expect((await api('/me', { token: person.token })).status).toBe(200);
    const renewed = await widgetToken(room.id, person.token);
    expect((await from(SITE, `/rooms/${room.id}/messages`, renewed)).status).toBe(200);
  });

  it.each([
    'https://*.shop.example',
    'https://*',
    'http://localhost:0',
    'https://shop.example:65536',
    'https://user@shop.example',
    'https://shop.example/path',
  ])('is never made for %j: only an exact origin', async (origin) => {
    const { room, person } = await roomWithMember();
    const res = await mint(room.id, origin, person.token);
    expect((await expectError(res, 400, 'validation_failed')).field).toBe('origin');
    const preview = await api(
      `/rooms/${room.id}/widget-session?origin=${encodeURIComponent(origin)}`,
      { token: person.token },
    );
    expect((await expectError(preview, 400, 'validation_failed')).field).toBe('origin');
  });
});

/** The frame's switch: the visitor's token in `Authorization`, the account's in the body. */
function switchTo(
  roomId: string,
  visitorToken: string,
  accountToken: string,
  origin: string | null = ORIGIN,
) {
  return exports.default.fetch(
    `${ORIGIN}/api/rooms/${encodeURIComponent(roomId)}/widget-session/switch`,
    {
      method: 'POST',
      headers: {
        ...(origin && { origin }),
        'content-type': 'application/json',
        authorization: `Bearer ${visitorToken}`,
      },
      body: JSON.stringify({ token: accountToken }),
    },
  );
}

const alive = async (token: string, origin = SITE) => (await from(origin, '/me', token)).status;

describe('a visitor switching to their Parlor account', () => {
  it('ends the visitor (sockets closed, token refused) and keeps its messages its own', async () => {
    const { room, person } = await roomWithMember();
    const guest = await visitorOf(room.id);
    const bystander = await visitorOf(room.id);
    const { socket } = await connect(`/rooms/${room.id}/ws`, guest.token, { origin: SITE });
    await socket!.q.take((f) => f.type === 'hello');
    expect((await say(socket!, 'asked as a visitor')).type).toBe('ack');
    const account = await widgetToken(room.id, person.token);

    const res = await switchTo(room.id, guest.token, account);
    expect(res.status).toBe(200);
    const { user } = (await res.json()) as { user: { id: string; kind?: string } };
    expect(user.id).toBe(person.id);
    expect(user.kind).toBeUndefined();
    expect((await socket!.q.closedWith(5000)).code).toBe(1008);
    await expectError(await from(SITE, '/me', guest.token), 401, 'session_expired');
    const failed = await connect(`/rooms/${room.id}/ws`, guest.token, { origin: SITE });
    expect(failed.socket).toBeNull();
    // The account's widget session, the account and another visitor of the site go on.
    expect(await alive(account)).toBe(200);
    expect((await api('/me', { token: person.token })).status).toBe(200);
    expect(await alive(bystander.token)).toBe(200);
    // What the visitor wrote stays the visitor's: history is not re-attributed.
    await drain(room.id);
    const { messages } = await history(room.id, account);
    const asked = messages.find((m) => m.text === 'asked as a visitor');
    expect(asked?.author).toMatchObject({ id: guest.id, kind: 'visitor', site: SITE });

    // A replay of the same switch: the visitor's token is over.
    await expectError(await switchTo(room.id, guest.token, account), 401, 'session_expired');
    expect(await alive(account)).toBe(200);
  });

  it('ends nobody else: not another visitor, an app session or a widget session', async () => {
    const { room, person } = await roomWithMember();
    const guest = await visitorOf(room.id);
    const other = await visitorOf(room.id);
    const account = await widgetToken(room.id, person.token);
    const notAnAccount = [other.token, person.token, 'not-a-token', guest.token];
    for (const token of notAnAccount) {
      await expectError(await switchTo(room.id, guest.token, token), 400, 'invalid_token');
    }
    expect(await alive(guest.token)).toBe(200);
    expect(await alive(other.token)).toBe(200);
    expect((await api('/me', { token: person.token })).status).toBe(200);
    // Only a visitor switches: an account's widget session or its app session cannot end one.
    await expectError(await switchTo(room.id, account, guest.token), 403, 'forbidden');
    await expectError(await switchTo(room.id, person.token, account), 403, 'forbidden');
    expect(await alive(guest.token)).toBe(200);
    // An account session that has ended is no account to switch to.
    const ended = await widgetToken(room.id, person.token);
    expect((await from(SITE, `/embed/${room.id}/logout`, ended, { method: 'POST' })).status).toBe(
      200,
    );
    await expectError(await switchTo(room.id, guest.token, ended), 400, 'invalid_token');
    expect(await alive(guest.token)).toBe(200);
    expect((await switchTo(room.id, guest.token, account)).status).toBe(200);
  });

  it('is refused for a visitor of another site or another room', async () => {
    const { room } = await embeddedRoom();
    const elsewhere = await embeddedRoom();
    const person = await register();
    await join(room.id, person.token);
    const account = await widgetToken(room.id, person.token);
    const otherSite = await visitorOf(room.id, OTHER_SITE);
    await expectError(await switchTo(room.id, otherSite.token, account), 400, 'invalid_token');
    expect(await alive(otherSite.token, OTHER_SITE)).toBe(200);
    const otherRoom = await visitorOf(elsewhere.room.id);
    // Through its own room's path: the account's session is for another room.
    await expectError(
      await switchTo(elsewhere.room.id, otherRoom.token, account),
      400,
      'invalid_token',
    );
    // Through this room's path: a visitor reaches its own room's routes only.
    await expectError(await switchTo(room.id, otherRoom.token, account), 403, 'forbidden');
    expect(await alive(otherRoom.token)).toBe(200);
    expect(await alive(account)).toBe(200);
  });

  it('is refused from the host page or without an Origin: only the frame switches', async () => {
    const { room, person } = await roomWithMember();
    const guest = await visitorOf(room.id);
    const account = await widgetToken(room.id, person.token);
    await expectError(
      await switchTo(room.id, guest.token, account, SITE),
      403,
      'origin_not_allowed',
    );
    await expectError(
      await switchTo(room.id, guest.token, account, null),
      403,
      'origin_not_allowed',
    );
    expect(await alive(guest.token)).toBe(200);
  });
});

describe('a site’s identified user and the switch', () => {
  it('is refused: one person across devices is never ended by a switch', async () => {
    const { owner, room } = await embeddedRoom();
    const secretRes = await api(`/rooms/${room.id}/identity-secret`, {
      method: 'POST',
      json: {},
      token: owner.token,
    });
    const { secret } = (await secretRes.json()) as { secret: string };
    const jwt = await new SignJWT({ name: uniqueName('shopper') })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(uniqueName('sub'))
      .setAudience(room.id)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    const identified = await exports.default.fetch(`${ORIGIN}/api/embed/${room.id}/identify`, {
      method: 'POST',
      headers: { origin: SITE, 'content-type': 'application/json' },
      body: JSON.stringify({ token: jwt }),
    });
    expect(identified.status).toBe(200);
    const shopper = ((await identified.json()) as { user: { token: string } }).user;
    const person = await register();
    await join(room.id, person.token);
    const account = await widgetToken(room.id, person.token);
    await expectError(await switchTo(room.id, shopper.token, account), 403, 'forbidden');
    expect(await alive(shopper.token)).toBe(200);
  });
});

describe('a widget session minted while its room goes private', () => {
  it('leaves none alive once the change is done, whichever reached D1 first', async () => {
    const { owner, room } = await embeddedRoom();
    const people = await Promise.all(Array.from({ length: 6 }, () => register()));
    for (const p of people) await join(room.id, p.token);
    const [privacy, ...mints] = await Promise.all([
      api(`/rooms/${room.id}/privacy`, {
        method: 'PUT',
        json: { private: true },
        token: owner.token,
      }),
      ...people.map((p) => mint(room.id, SITE, p.token)),
    ]);
    expect(privacy.status).toBe(200);
    for (const res of mints) {
      if (res.status !== 201) {
        await expectError(res, 404, 'room_not_found');
        continue;
      }
      const { token } = (await res.json()) as { token: string };
      await expectError(await from(SITE, '/me', token), 401, 'session_expired');
    }
  });

  it('ends a session written after the change’s own passes: the check each minting route makes after its write', async () => {
    const { room, person } = await roomWithMember();
    const token = await widgetToken(room.id, person.token);
    const { id } = (await env.DB.prepare(
      'SELECT id FROM sessions WHERE user_id = ?1 AND embed_room_id = ?2',
    )
      .bind(person.id, room.id)
      .first<{ id: string }>())!;
    await confirmEmbedded(env, id, room.id, SITE); // still embedded there: kept
    expect((await from(SITE, '/me', token)).status).toBe(200);
    // The room went private between that route's check and its write, after the privacy
    // route's own two passes had run (the row changed here as that route changes it).
    await env.DB.prepare('UPDATE rooms SET is_private = 1 WHERE id = ?1').bind(room.id).run();
    await expect(confirmEmbedded(env, id, room.id, SITE)).rejects.toMatchObject({
      status: 404,
      code: 'room_not_found',
    });
    await expectError(await from(SITE, '/me', token), 401, 'session_expired');
  });
});
