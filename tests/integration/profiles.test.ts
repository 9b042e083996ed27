import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  api,
  clientId,
  drain,
  expectError,
  GOOD_PASSWORD,
  history,
  ORIGIN,
  openRoom,
  register,
  say,
  uniqueName,
  type TestSocket,
} from '../helpers';

type Me = Awaited<ReturnType<typeof register>>;

const patchProfile = (who: Me, json: unknown) =>
  api('/me/profile', { method: 'PATCH', json, token: who.token });

function uploadAvatar(who: Me, bytes: Uint8Array, type = 'image/png', headers = {}) {
  return exports.default.fetch(`${ORIGIN}/api/me/avatar`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${who.token}`, 'content-type': type, ...headers },
    body: bytes,
  });
}

async function userRef(viewer: Me, id: string) {
  const res = await api(`/users/${id}`, { token: viewer.token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { user: Record<string, unknown> }).user;
}

// A 1×1 PNG (the smallest valid file: signature, IHDR, IDAT, IEND).
const PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  ),
  (c) => c.charCodeAt(0),
);

async function openDm(a: Me, b: Me) {
  const res = await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { chat: { id: string } }).chat.id;
}

function markRead(who: Me, roomId: string, seq: number) {
  return api(`/rooms/${encodeURIComponent(roomId)}/read`, {
    method: 'PUT',
    json: { seq },
    token: who.token,
  });
}

/** Everything up to a fence frame the socket itself causes: whatever came before it. */
async function framesUntilFence(socket: TestSocket, other: TestSocket) {
  const id = clientId();
  await say(other, `fence ${id}`);
  await socket.q.take(
    (f) => f.type === 'message' && (f.message as { text: string }).text === `fence ${id}`,
  );
  return socket.q.frames.splice(0);
}

describe('display names', () => {
  it('are free text shown beside the unchanged username, right-to-left scripts included', async () => {
    const a = await register();
    const name = 'אורי 🧑‍🚀 Ōno';
    const res = await patchProfile(a, { displayName: `  ${name}  ` });
    expect(res.status).toBe(200);
    const me = ((await res.json()) as { user: Record<string, unknown> }).user;
    expect(me).toMatchObject({ name: a.username, username: a.username, displayName: name });
    expect((await userRef(a, a.id)).displayName).toBe(name);
  });

  const refused: [string, string][] = [
    ['a control character', 'Bo\u0007b'],
    ['a right-to-left override', 'Bob\u202Egnp.exe'],
    ['a zero-width space', 'Bo\u200Bb'],
    ['a lone variation selector', 'Bob\uFE0F'],
    ['a tag character', 'Bob\u{E0041}'],
    ['a stack of combining marks', 'x\u0301\u0302\u0303\u0304\u0305'],
    ['more than 48 characters', 'x'.repeat(49)],
  ];
  for (const [what, name] of refused) {
    it(`refuses ${what}`, async () => {
      const a = await register();
      const err = await expectError(
        await patchProfile(a, { displayName: name }),
        400,
        'validation_failed',
      );
      expect(err.field).toBe('displayName');
      expect((await userRef(a, a.id)).displayName).toBeUndefined();
    });
  }

  it('refuses an @ in a display name (a handle that is not its own, or a fake mention)', async () => {
    const a = await register();
    for (const name of ['Bobby (@bobby)', 'Ann\uff20work', '@here']) {
      const err = await expectError(
        await patchProfile(a, { displayName: name }),
        400,
        'validation_failed',
      );
      expect({ field: err.field, message: err.message }).toEqual({
        field: 'displayName',
        message: 'A display name cannot contain @',
      });
    }
  });

  it("refuses one that looks like someone else's username, not like one's own", async () => {
    const [a, b] = [await register(), await register(uniqueName('anon'))];
    // The same, another case, and Cyrillic look-alikes (а, о) in place of Latin letters.
    const lookalike = b.username.replace(/a/g, '\u0430').replace(/o/g, '\u043e');
    expect(lookalike).not.toBe(b.username);
    for (const name of [b.username, b.username.toUpperCase(), lookalike]) {
      const err = await expectError(
        await patchProfile(a, { displayName: name }),
        409,
        'name_too_similar',
      );
      expect(err.field).toBe('displayName');
    }
    expect((await userRef(a, a.id)).displayName).toBeUndefined();
    expect((await patchProfile(a, { displayName: a.username.toUpperCase() })).status).toBe(200);
  });

  it("refuses one that looks like someone else's display name, and a username that does", async () => {
    const [carol, mallory] = [await register(), await register()];
    const shown = `Carol ${uniqueName('Danvers')}`;
    expect((await patchProfile(carol, { displayName: shown })).status).toBe(200);
    const cyrillic = shown.replace(/a/g, '\u0430').replace(/o/g, '\u043e');
    // Two spaces where hers has one: a page shows them as one.
    const spaced = shown.replace(' ', '  ');
    for (const name of [shown, shown.toLowerCase(), cyrillic, spaced]) {
      const err = await expectError(
        await patchProfile(mallory, { displayName: name }),
        409,
        'name_too_similar',
      );
      expect({ field: err.field, message: err.message }).toEqual({
        field: 'displayName',
        message: `That name looks the same as "${shown}"; choose a clearly different one`,
      });
    }
    // Carol may save her own again; once she drops it, the name is free.
    expect((await patchProfile(carol, { displayName: shown })).status).toBe(200);
    const alone = uniqueName('Solo');
    expect((await patchProfile(carol, { displayName: alone })).status).toBe(200);
    expect((await patchProfile(mallory, { displayName: shown })).status).toBe(200);
    // A new account may not take as its username what someone is shown as.
    const taken = await api('/auth/register', {
      method: 'POST',
      json: { username: alone.toLowerCase(), password: GOOD_PASSWORD },
    });
    await expectError(taken, 409, 'name_too_similar');
  });

  it('refuses a username someone gave up and still holds, and what deleted accounts are shown as', async () => {
    const [victim, eve] = [await register(), await register()];
    const old = victim.username;
    const renamed = await api('/me', {
      method: 'PATCH',
      json: { username: uniqueName('moved') },
      token: victim.token,
    });
    expect(renamed.status).toBe(200);
    for (const name of [old, 'Deleted user', 'deleted_user']) {
      const err = await expectError(
        await patchProfile(eve, { displayName: name }),
        409,
        'username_taken',
      );
      expect(err.field).toBe('displayName');
    }
    // The holder may show their old name; nobody may register the tombstone's.
    expect((await patchProfile(victim, { displayName: old })).status).toBe(200);
    const tombstone = await api('/auth/register', {
      method: 'POST',
      json: { username: 'Deleted_user', password: GOOD_PASSWORD },
    });
    expect((await expectError(tombstone, 409, 'username_taken')).field).toBe('username');
  });

  it('goes away when set to empty, leaving the username', async () => {
    const a = await register();
    await patchProfile(a, { displayName: 'Someone' });
    expect((await patchProfile(a, { displayName: '' })).status).toBe(200);
    expect(await userRef(a, a.id)).not.toHaveProperty('displayName');
  });

  it('reaches a room socket that is open, and the next history page', async () => {
    const [a, b] = [await register(), await register()];
    const watcher = await openRoom('global', b.token);
    const speaker = await openRoom('global', a.token);
    await say(speaker, 'hello from a');
    expect((await patchProfile(a, { displayName: 'Captain A' })).status).toBe(200);
    const frame = await watcher.q.take(
      (f) => f.type === 'user' && (f.user as { id: string }).id === a.id,
    );
    expect(frame.user).toMatchObject({ id: a.id, name: a.username, displayName: 'Captain A' });
    await drain('global');
    const page = await history('global', b.token);
    const mine = page.messages.filter((m) => m.author.id === a.id);
    expect(mine.map((m) => (m.author as { displayName?: string }).displayName)).toEqual([
      'Captain A',
    ]);
    watcher.close();
    speaker.close();
  });
});

describe('avatars', () => {
  it('are typed by their bytes: HTML sent as image/png is refused', async () => {
    const a = await register();
    const html = new TextEncoder().encode('<!doctype html><script>alert(1)</script>');
    const err = await expectError(
      await uploadAvatar(a, html, 'image/png'),
      415,
      'unsupported_media_type',
    );
    expect(err.message).toBe('That file is not a PNG, JPEG or WebP image');
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>');
    await expectError(await uploadAvatar(a, svg, 'image/png'), 415, 'unsupported_media_type');
    expect(await userRef(a, a.id)).not.toHaveProperty('avatar');
  });

  it('refuses a content type a cross-site form could send, and a foreign Origin', async () => {
    const a = await register();
    await expectError(await uploadAvatar(a, PNG, 'text/plain'), 415, 'unsupported_media_type');
    await expectError(
      await uploadAvatar(a, PNG, 'image/png', { origin: 'https://evil.test' }),
      403,
      'origin_not_allowed',
    );
    await expectError(
      await exports.default.fetch(`${ORIGIN}/api/me/avatar`, {
        method: 'PUT',
        headers: { 'content-type': 'image/png' },
        body: PNG,
      }),
      401,
      'unauthorized',
    );
  });

  it('refuses an image over the size limit', async () => {
    const a = await register();
    const big = new Uint8Array(256 * 1024 + 1);
    big.set(PNG);
    await expectError(await uploadAvatar(a, big), 413, 'payload_too_large');
  });

  it('are served by content hash with nosniff, a strict CSP and long caching', async () => {
    const a = await register();
    const res = await uploadAvatar(a, PNG);
    expect(res.status).toBe(200);
    const avatar = ((await res.json()) as { user: { avatar: string } }).user.avatar;
    expect(avatar).toMatch(new RegExp(`^/api/avatars/${a.id}/[0-9a-f]{32}$`));
    const image = await exports.default.fetch(`${ORIGIN}${avatar}`);
    expect(image.status).toBe(200);
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG);
    expect(Object.fromEntries(image.headers)).toMatchObject({
      'content-type': 'image/png',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
      'cache-control': 'public, max-age=31536000, immutable',
      'cross-origin-resource-policy': 'same-origin',
    });
    const missing = await exports.default.fetch(`${ORIGIN}/api/avatars/${a.id}/${'0'.repeat(32)}`);
    await expectError(missing, 404, 'not_found');
    await expectError(
      await exports.default.fetch(`${ORIGIN}/api/avatars/${a.id}/..%2F..%2Fsecret`),
      404,
      'not_found',
    );
  });

  it('are removed from R2 when taken off the profile', async () => {
    const a = await register();
    const res = await uploadAvatar(a, PNG);
    const avatar = ((await res.json()) as { user: { avatar: string } }).user.avatar;
    const key = avatar.replace('/api/avatars/', 'avatars/');
    expect(await env.FILES.head(key)).not.toBeNull();
    expect((await patchProfile(a, { avatar: null })).status).toBe(200);
    expect(await env.FILES.head(key)).toBeNull();
    expect(await userRef(a, a.id)).not.toHaveProperty('avatar');
  });
});

describe('status and presence', () => {
  it('shows a status with its emoji until it expires', async () => {
    const [a, b] = [await register(), await register()];
    const res = await patchProfile(a, { status: { text: 'On a train', emoji: '🚆', minutes: 30 } });
    expect(res.status).toBe(200);
    const status = (await userRef(b, a.id)).status as {
      text: string;
      emoji: string;
      until: number;
    };
    expect(status).toMatchObject({ text: 'On a train', emoji: '🚆' });
    expect(status.until).toBeGreaterThan(Date.now());
    // The clock moves on past `until` (the row is rewritten as if set long ago).
    await env.DB.prepare(
      `UPDATE users SET profile = json_set(profile, '$.status.until', ?) WHERE id = ?`,
    )
      .bind(Date.now() - 1, a.id)
      .run();
    expect(await userRef(b, a.id)).not.toHaveProperty('status');
  });

  it('refuses a status emoji that is not one emoji, and text with invisible characters', async () => {
    const a = await register();
    await expectError(
      await patchProfile(a, { status: { text: 'hi', emoji: 'ab' } }),
      400,
      'validation_failed',
    );
    await expectError(
      await patchProfile(a, { status: { text: 'hi\u2066there' } }),
      400,
      'validation_failed',
    );
    await expectError(
      await patchProfile(a, { status: { text: 'hi', minutes: 0 } }),
      400,
      'validation_failed',
    );
    // A time is never taken from a client: `until` is refused, not dropped into a status
    // that never clears.
    for (const until of [-5, 1e300, Date.now() + 60_000]) {
      await expectError(
        await patchProfile(a, { status: { text: 'hi', until } }),
        400,
        'validation_failed',
      );
    }
  });

  it('is away when an idle client says so, and do-not-disturb outranks it', async () => {
    const a = await register();
    const away = await api('/me/presence', {
      method: 'PUT',
      json: { state: 'away' },
      token: a.token,
    });
    expect(away.status).toBe(200);
    expect((await userRef(a, a.id)).presence).toBe('away');
    await patchProfile(a, { dnd: true });
    expect((await userRef(a, a.id)).presence).toBe('dnd');
    await patchProfile(a, { dnd: false });
    await api('/me/presence', { method: 'PUT', json: { state: 'active' }, token: a.token });
    expect(await userRef(a, a.id)).not.toHaveProperty('presence');
    await expectError(
      await api('/me/presence', { method: 'PUT', json: { state: 'dnd' }, token: a.token }),
      400,
      'validation_failed',
    );
  });

  it('keeps a valid time zone for the profile card and refuses a made-up one', async () => {
    const [a, b] = [await register(), await register()];
    expect((await patchProfile(a, { timeZone: 'Asia/Kolkata' })).status).toBe(200);
    const card = await api(`/users/${a.id}/profile`, { token: b.token });
    expect(await card.json()).toMatchObject({ user: { id: a.id }, timeZone: 'Asia/Kolkata' });
    await expectError(
      await patchProfile(a, { timeZone: 'Mars/Olympus' }),
      400,
      'validation_failed',
    );
  });
});

describe('read receipts in DMs', () => {
  it('reach only the other member, live, and stop when either turns them off', async () => {
    const [a, b] = [await register(), await register()];
    const dm = await openDm(a, b);
    const aSocket = await openRoom(dm, a.token);
    const bSocket = await openRoom(dm, b.token);
    const ack = await say(aSocket, 'did you see this?');
    const seq = ack.seq as number;

    expect((await markRead(b, dm, seq)).status).toBe(200);
    const receipt = await aSocket.q.take((f) => f.type === 'read');
    expect(receipt).toEqual({ type: 'read', user: b.id, seq });
    const card = await api(`/rooms/${encodeURIComponent(dm)}/receipt`, { token: a.token });
    expect(await card.json()).toEqual({ seq, reads: [{ userId: b.id, seq }] });
    // The reader's own sockets are not told about their own read.
    expect((await framesUntilFence(bSocket, aSocket)).filter((f) => f.type === 'read')).toEqual([]);
    aSocket.q.frames.splice(0);

    // A third person cannot ask for the pair's receipt.
    const c = await register();
    await expectError(
      await api(`/rooms/${encodeURIComponent(dm)}/receipt`, { token: c.token }),
      403,
      'forbidden',
    );

    // b turns receipts off: b's reads are no longer sent, and b no longer sees a's.
    expect((await patchProfile(b, { readReceipts: false })).status).toBe(200);
    const later = (await say(aSocket, 'and this?')).seq as number;
    expect((await markRead(b, dm, later)).status).toBe(200);
    const bAck = (await say(bSocket, 'answer')).seq as number;
    expect((await markRead(a, dm, bAck)).status).toBe(200);
    expect((await framesUntilFence(aSocket, bSocket)).filter((f) => f.type === 'read')).toEqual([]);
    expect((await framesUntilFence(bSocket, aSocket)).filter((f) => f.type === 'read')).toEqual([]);
    const hidden = await api(`/rooms/${encodeURIComponent(dm)}/receipt`, { token: a.token });
    expect(await hidden.json()).toEqual({ seq: null, reads: [] });
    aSocket.close();
    bSocket.close();
  });

  it('are never sent for public rooms', async () => {
    const [a, b] = [await register(), await register()];
    const aSocket = await openRoom('global', a.token);
    const bSocket = await openRoom('global', b.token);
    const seq = (await say(aSocket, 'public words')).seq as number;
    expect((await markRead(b, 'global', seq)).status).toBe(200);
    expect((await framesUntilFence(aSocket, bSocket)).filter((f) => f.type === 'read')).toEqual([]);
    aSocket.close();
    bSocket.close();
  });
});
