/**
 * Issue 10, `Parlor('identify', token)`: the room's owner makes an identity secret (shown
 * once, rotatable); the site's server signs a short-lived HS256 token with it; the host page
 * trades it for a visitor session as that user. Every bad token is refused.
 */
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  api,
  connect,
  createRoom,
  expectError,
  ORIGIN,
  register,
  testClientIp,
  uniqueName,
} from '../helpers';

const SITE = 'https://shop.example';
const STRANGER = 'https://stranger.example';

async function identityRoom() {
  const owner = await register();
  const room = await createRoom(owner.token);
  await api(`/rooms/${room.id}/embed-origins`, {
    method: 'PUT',
    json: { origins: [SITE] },
    token: owner.token,
  });
  const res = await api(`/rooms/${room.id}/identity-secret`, {
    method: 'POST',
    json: {},
    token: owner.token,
  });
  expect(res.status).toBe(201);
  const { secret } = (await res.json()) as { secret: string };
  return { owner, room, secret };
}

interface Claims {
  sub?: string;
  name?: string;
  email?: string;
  aud?: string;
  expiresIn?: number;
  alg?: string;
}

/** What the site's server does: a few lines of jose. */
function sign(secret: string, claims: Claims) {
  const { aud, expiresIn = 300, alg = 'HS256', ...rest } = claims;
  let jwt = new SignJWT({ ...rest }).setProtectedHeader({ alg }).setIssuedAt();
  if (aud !== undefined) jwt = jwt.setAudience(aud);
  jwt = jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn);
  return jwt.sign(new TextEncoder().encode(secret));
}

function identify(roomId: string, token: string, origin = SITE, visitorToken?: string) {
  return exports.default.fetch(`${ORIGIN}/api/embed/${roomId}/identify`, {
    method: 'POST',
    headers: {
      origin,
      'content-type': 'application/json',
      ...(visitorToken && { authorization: `Bearer ${visitorToken}` }),
    },
    body: JSON.stringify({ token }),
  });
}

type Identified = { user: { id: string; name: string; guest: boolean; token: string } };

describe('identify', () => {
  it('chats as the site’s user: one Parlor user per sub, following the site’s name', async () => {
    const { room, secret } = await identityRoom();
    const sub = `site-user-${crypto.randomUUID()}`;
    const name = uniqueName('Ada');
    const first = await identify(room.id, await sign(secret, { sub, name, aud: room.id }));
    expect(first.status).toBe(200);
    expect(first.headers.get('access-control-allow-origin')).toBe(SITE);
    const a = ((await first.json()) as Identified).user;
    expect({ name: a.name, guest: a.guest }).toEqual({ name, guest: true });
    const me = await api('/me', { token: a.token });
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(a.id);
    expect((await api(`/rooms/${room.id}/messages`, { token: a.token })).status).toBe(200);
    // Another page view: a new token for the same sub is the same user, renamed by the site.
    const renamed = uniqueName('Ada L');
    const second = await identify(
      room.id,
      await sign(secret, { sub, name: renamed, aud: room.id }),
    );
    const b = ((await second.json()) as Identified).user;
    expect({ id: b.id, name: b.name }).toEqual({ id: a.id, name: renamed });
    // Scoped like every visitor: this room only.
    await expectError(await api('/chats', { token: b.token }), 403, 'forbidden');
  });

  it('does not reserve the name: an account with the same name is another, untagged person', async () => {
    const { room, secret } = await identityRoom();
    const account = await register();
    const res = await identify(
      room.id,
      await sign(secret, { sub: 'same-name', name: account.username, aud: room.id }),
    );
    const user = ((await res.json()) as Identified).user;
    expect(user.id).not.toBe(account.id);
    expect(user.guest).toBe(true);
  });

  it('refuses a name that passes for a departed user, at first and on a later identify', async () => {
    const { room, secret } = await identityRoom();
    const sub = `site-user-${crypto.randomUUID()}`;
    const asName = async (name: string) =>
      identify(room.id, await sign(secret, { sub, name, aud: room.id }));
    for (const name of [
      'Former visitor',
      'former.visitor 7',
      'F\u043Ermer guest',
      'Deleted user X',
    ]) {
      const error = await expectError(await asName(name), 409, 'username_taken');
      expect(error).toEqual({
        code: 'username_taken',
        message: 'That name is reserved; choose another',
        field: 'name',
      });
    }
    // Refused as the token's claim, not as a username the site never sent.
    const invisible = await expectError(
      await asName('Former\u200Bvisitor'),
      400,
      'validation_failed',
    );
    expect(invisible).toMatchObject({
      field: 'name',
      message: expect.stringMatching(/^The token's name contains an invisible/),
    });
    const first = await asName(uniqueName('Ada'));
    expect(first.status).toBe(200);
    await expectError(await asName('Former visitor 2'), 409, 'username_taken');
    // The user kept the name the site gave them last.
    const { user } = (await first.json()) as Identified;
    const row = await env.DB.prepare('SELECT username FROM users WHERE id = ?')
      .bind(user.id)
      .first<{ username: string }>();
    expect(row).toEqual({ username: user.name });
  });

  it('refuses a replayed token', async () => {
    const { room, secret } = await identityRoom();
    const token = await sign(secret, { sub: 'replay', name: uniqueName('R'), aud: room.id });
    expect((await identify(room.id, token)).status).toBe(200);
    const replayed = await identify(room.id, token);
    // The site's page can read why (CORS on errors too).
    expect(replayed.headers.get('access-control-allow-origin')).toBe(SITE);
    const again = await expectError(replayed, 401, 'unauthorized');
    expect(again.message).toContain('already used');
  });

  it.each([
    ['for another room', { aud: 'another-room' }, 'audience is not this room'],
    ['without an audience', { aud: undefined }, 'audience is not this room'],
    ['expired', { expiresIn: -60 }, 'expired'],
    ['living more than 10 minutes', { expiresIn: 11 * 60 }, '10 minutes'],
    ['without a name', { name: undefined }, 'sub and a name'],
    ['without a sub', { sub: undefined }, 'sub claim is missing'],
    ['signed with HS512', { alg: 'HS512' }, 'HS256'],
  ] as const)('refuses a token %s', async (_what, change, words) => {
    const { room, secret } = await identityRoom();
    const claims: Claims = { sub: 'u1', name: uniqueName('N'), aud: room.id, ...change };
    if ('aud' in change && change.aud === undefined) delete claims.aud;
    const error = await expectError(
      await identify(room.id, await sign(secret, claims)),
      401,
      'unauthorized',
    );
    expect(error.message).toContain(words);
  });

  it('refuses a token signed with another secret, or an unsigned one', async () => {
    const { room } = await identityRoom();
    const other = await identityRoom();
    const forged = await sign(other.secret, { sub: 'u', name: 'Mallory', aud: room.id });
    await expectError(await identify(room.id, forged), 401, 'unauthorized');
    const [header, payload] = forged.split('.');
    const none = `${btoa(JSON.stringify({ alg: 'none' })).replace(/=+$/, '')}.${payload}.`;
    await expectError(await identify(room.id, none), 401, 'unauthorized');
    expect(header).toBeTruthy();
  });

  it('refuses an unlisted site, and a room without a secret', async () => {
    const { room, secret } = await identityRoom();
    const token = await sign(secret, { sub: 'u', name: uniqueName('S'), aud: room.id });
    const stranger = await identify(room.id, token, STRANGER);
    await expectError(stranger, 403, 'origin_not_allowed');
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const owner = await register();
    const plain = await createRoom(owner.token);
    await api(`/rooms/${plain.id}/embed-origins`, {
      method: 'PUT',
      json: { origins: [SITE] },
      token: owner.token,
    });
    await expectError(
      await identify(plain.id, await sign(secret, { sub: 'u', name: 'X', aud: plain.id })),
      403,
      'forbidden',
    );
  });
});

describe('identify after chatting as an anonymous visitor', () => {
  async function anonymous(roomId: string) {
    const res = await api('/visitors', {
      method: 'POST',
      json: { room: roomId, origin: SITE, name: uniqueName('anon') },
      headers: { 'cf-connecting-ip': testClientIp() },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as Identified).user;
  }
  const me = (token: string) =>
    exports.default.fetch(`${ORIGIN}/api/me`, {
      headers: { origin: SITE, authorization: `Bearer ${token}` },
    });

  it('ends the anonymous visitor the loader names: token refused, socket closed', async () => {
    const { room, secret } = await identityRoom();
    const visitor = await anonymous(room.id);
    const socket = (await connect(`/rooms/${room.id}/ws`, visitor.token)).socket!;
    await socket.q.take((f) => f.type === 'hello');
    const jwt = await sign(secret, { sub: 'ada', name: uniqueName('Ada'), aud: room.id });
    const res = await identify(room.id, jwt, SITE, visitor.token);
    expect(res.status).toBe(200);
    const user = ((await res.json()) as Identified).user;
    expect(user.id).not.toBe(visitor.id);
    expect((await me(user.token)).status).toBe(200);
    await expectError(await me(visitor.token), 401, 'session_expired');
    expect((await socket.q.closedWith()).code).toBe(1008);
  });

  it("ends nothing it should not: an identified user, another site's visitor, a bad token", async () => {
    const { room, secret } = await identityRoom();
    const first = await identify(
      room.id,
      await sign(secret, { sub: 'bo', name: uniqueName('Bo'), aud: room.id }),
    );
    const bo = ((await first.json()) as Identified).user;
    // Bo's own device identifies as someone else: Bo (a site's user, not anonymous) stays.
    const jwt = await sign(secret, { sub: 'cy', name: uniqueName('Cy'), aud: room.id });
    expect((await identify(room.id, jwt, SITE, bo.token)).status).toBe(200);
    expect((await me(bo.token)).status).toBe(200);
    // A garbage bearer is ignored: identify still works.
    const jwt2 = await sign(secret, { sub: 'di', name: uniqueName('Di'), aud: room.id });
    expect((await identify(room.id, jwt2, SITE, 'not.a.token')).status).toBe(200);
    // A Parlor account's token sent along is not a visitor: untouched.
    const account = await register();
    const jwt3 = await sign(secret, { sub: 'ed', name: uniqueName('Ed'), aud: room.id });
    expect((await identify(room.id, jwt3, SITE, account.token)).status).toBe(200);
    expect((await api('/me', { token: account.token })).status).toBe(200);
  });
});

describe('a site’s identified user when the site leaves the list', () => {
  it('is ended for good: re-listing the site does not revive the token', async () => {
    const { owner, room, secret } = await identityRoom();
    const sub = `site-user-${crypto.randomUUID()}`;
    const first = await identify(
      room.id,
      await sign(secret, { sub, name: uniqueName('Flo'), aud: room.id }),
    );
    expect(first.status).toBe(200);
    const flo = ((await first.json()) as Identified).user;
    const socket = (await connect(`/rooms/${room.id}/ws`, flo.token)).socket!;
    await socket.q.take((f) => f.type === 'hello');
    const setOrigins = (origins: string[]) =>
      api(`/rooms/${room.id}/embed-origins`, {
        method: 'PUT',
        json: { origins },
        token: owner.token,
      });
    expect((await setOrigins([])).status).toBe(200);
    expect((await socket.q.closedWith()).code).toBe(1008);
    expect((await setOrigins([SITE])).status).toBe(200);
    const read = exports.default.fetch(`${ORIGIN}/api/rooms/${room.id}/messages`, {
      headers: { origin: SITE, authorization: `Bearer ${flo.token}` },
    });
    await expectError(await read, 401, 'session_expired');
    // The site signs the user in again: the same Parlor user, a new session.
    const again = await identify(
      room.id,
      await sign(secret, { sub, name: uniqueName('Flo'), aud: room.id }),
    );
    const back = ((await again.json()) as Identified).user;
    expect(back.id).toBe(flo.id);
    expect((await api('/me', { token: back.token })).status).toBe(200);
    await expectError(await api('/me', { token: flo.token }), 401, 'session_expired');
  });
});

describe("a room's identity secret", () => {
  it('is shown once, to the owner only, and a new one retires the old', async () => {
    const { owner, room, secret } = await identityRoom();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const read = await api(`/rooms/${room.id}/identity-secret`, { token: owner.token });
    const body = (await read.json()) as Record<string, unknown>;
    expect(body.configured).toBe(true);
    expect(JSON.stringify(body)).not.toContain(secret);
    const member = await register();
    await expectError(
      await api(`/rooms/${room.id}/identity-secret`, {
        method: 'POST',
        json: {},
        token: member.token,
      }),
      403,
      'forbidden',
    );
    const rotated = await api(`/rooms/${room.id}/identity-secret`, {
      method: 'POST',
      json: {},
      token: owner.token,
    });
    const next = ((await rotated.json()) as { secret: string }).secret;
    expect(next).not.toBe(secret);
    const old = await sign(secret, { sub: 'u', name: uniqueName('O'), aud: room.id });
    await expectError(await identify(room.id, old), 401, 'unauthorized');
    const fresh = await sign(next, { sub: 'u', name: uniqueName('F'), aud: room.id });
    expect((await identify(room.id, fresh)).status).toBe(200);
  });
});
