import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ChatListItem } from '../../src/shared/api';
import {
  api,
  createRoom,
  drain,
  embeddedRoom,
  expectError,
  GOOD_PASSWORD,
  guest,
  history,
  join,
  openRoom,
  register,
  say,
  testClientIp,
  uniqueName,
  releaseHeldNames,
  from,
  SITE,
  visitorOf,
} from '../helpers';

const deviceOf = (cookies: string[]) =>
  cookies.find((c) => c.startsWith('__Host-parlor_device='))!.split(';')[0]!;

/** Continues as a guest from a browser that still sends `cookie`. */
const continueAsGuest = (name: string, cookie: string) =>
  api('/auth/guest?token=1', {
    method: 'POST',
    json: { name },
    headers: { cookie, 'cf-connecting-ip': testClientIp() },
  });

async function chatsOf(token: string): Promise<ChatListItem[]> {
  const res = await api('/chats', { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { chats: ChatListItem[] }).chats;
}

describe('a guest who signs out is gone from this browser', () => {
  it('gives the next guest on the browser a new identity, without the DMs of the last one', async () => {
    const dee = await guest(uniqueName('Dee'));
    const bob = await guest();
    const dm = await api('/dms', { method: 'POST', json: { userId: bob.id }, token: dee.token });
    expect(dm.status).toBe(200);
    const dmId = ((await dm.json()) as { chat: { id: string } }).chat.id;
    const socket = await openRoom(dmId, dee.token);
    await say(socket, 'hello from Dee');
    socket.close();
    await drain(dmId);

    const out = await api('/auth/logout', { method: 'POST', json: {}, token: dee.token });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()).toEqual([
      '__Host-parlor_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
      '__Host-parlor_device=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
    ]);
    const row = await env.DB.prepare('SELECT username, guest_device_hash FROM users WHERE id = ?')
      .bind(dee.id)
      .first<{ username: string; guest_device_hash: string | null }>();
    // Their name is given up (held for them a while: the next test).
    expect(row).toEqual({ username: 'Former guest', guest_device_hash: null });

    // Even a browser that kept the old device cookie gets a new guest.
    const next = await continueAsGuest(uniqueName('Eve'), deviceOf(dee.cookies));
    expect(next.status).toBe(201);
    const eve = ((await next.json()) as { user: { id: string; token: string } }).user;
    expect(eve.id).not.toBe(dee.id);
    expect((await chatsOf(eve.token)).filter((c) => c.kind === 'dm')).toEqual([]);

    // Dee's message is still Dee's, under the name Dee is now shown by.
    const page = await history(dmId, bob.token);
    expect(page.messages.map((m) => [m.author.id, m.author.name, m.text])).toEqual([
      [dee.id, 'Former guest', 'hello from Dee'],
    ]);
    // Nobody can sign in as Dee again: Dee is no one to start a DM or a group with.
    const carl = await guest();
    const pair = await api('/dms', { method: 'POST', json: { userId: dee.id }, token: bob.token });
    await expectError(pair, 404, 'user_not_found');
    const group = await api('/dms/group', {
      method: 'POST',
      json: { userIds: [carl.id, dee.id] },
      token: bob.token,
    });
    expect((await expectError(group, 404, 'user_not_found')).field).toBe('userIds.1');
    // And Dee's own name cannot be continued: the device no longer leads to Dee.
    const again = await continueAsGuest(dee.name, deviceOf(dee.cookies));
    await expectError(again, 409, 'username_taken');
  });

  it('releases the name once the hold after sign-out ends, never before, and to nobody else meanwhile', async () => {
    const dee = await guest(uniqueName('Dee'));
    const shown = await api('/me/profile', {
      method: 'PATCH',
      json: { displayName: dee.name },
      token: dee.token,
    });
    expect(shown.status).toBe(200);
    const room = await createRoom(dee.token);
    const socket = await openRoom(room.id, dee.token);
    await say(socket, 'hello from Dee');
    socket.close();
    await drain(room.id);
    expect((await api('/auth/logout', { method: 'POST', json: {}, token: dee.token })).status).toBe(
      200,
    );

    // Held: the name, its case variants and its look-alikes, as a username or display name.
    await expectError(await continueAsGuest(dee.name, ''), 409, 'username_taken');
    const loud = await api('/auth/register', {
      method: 'POST',
      json: { username: dee.name.toUpperCase(), password: GOOD_PASSWORD },
    });
    await expectError(loud, 409, 'username_taken');
    const other = await guest();
    const posing = await api('/me/profile', {
      method: 'PATCH',
      json: { displayName: dee.name },
      token: other.token,
    });
    await expectError(posing, 409, 'username_taken');
    // Nothing shows the old name meanwhile: not their messages, not a display name.
    const page = await history(room.id, other.token);
    expect(page.messages.map((m) => [m.author.id, m.author.name, m.author.displayName])).toEqual([
      [dee.id, 'Former guest', undefined],
    ]);
    // Nobody may pass for a former guest either.
    await expectError(await continueAsGuest('Former_Guest', ''), 409, 'username_taken');

    await releaseHeldNames(dee.id);
    const taken = await register(dee.name);
    expect(taken.id).not.toBe(dee.id);
  });

  it("releases a widget visitor's name the same way when Parlor('logout') ends them", async () => {
    const { room } = await embeddedRoom();
    const visitor = await visitorOf(room.id);
    const out = await from(SITE, `/embed/${room.id}/logout`, visitor.token, { method: 'POST' });
    expect(out.status).toBe(200);
    const row = await env.DB.prepare('SELECT username FROM users WHERE id = ?')
      .bind(visitor.id)
      .first<{ username: string }>();
    expect(row).toEqual({ username: 'Former visitor' });
    await expectError(await continueAsGuest(visitor.name, ''), 409, 'username_taken');
    await expectError(await continueAsGuest('former visitor', ''), 409, 'username_taken');
    await releaseHeldNames(visitor.id);
    expect((await continueAsGuest(visitor.name, '')).status).toBe(201);
  });

  it('ends every session of the guest on sign-out', async () => {
    const dee = await guest();
    const second = await continueAsGuest(dee.name, deviceOf(dee.cookies));
    expect(second.status).toBe(200);
    const other = ((await second.json()) as { user: { token: string } }).user.token;
    await api('/auth/logout', { method: 'POST', json: {}, token: dee.token });
    await expectError(await api('/me', { token: other }), 401, 'session_expired');
  });

  it('never renames: another name from the same browser is a new guest', async () => {
    const dee = await guest(uniqueName('Dee'));
    const res = await continueAsGuest(uniqueName('Val'), deviceOf(dee.cookies));
    expect(res.status).toBe(201);
    const val = ((await res.json()) as { user: { id: string } }).user;
    expect(val.id).not.toBe(dee.id);
    const row = await env.DB.prepare('SELECT username FROM users WHERE id = ?')
      .bind(dee.id)
      .first<{ username: string }>();
    expect(row!.username).toBe(dee.name);
  });

  it('accepts a guest display name with single inner spaces', async () => {
    const name = `Visitor Val ${crypto.randomUUID().slice(0, 4)}`;
    const g = await guest(name);
    const me = await api('/me', { token: g.token });
    expect(((await me.json()) as { user: { name: string } }).user.name).toBe(name);
  });
});

describe('PATCH /api/me renames explicitly', () => {
  const rename = (token: string, username: string) =>
    api('/me', { method: 'PATCH', json: { username }, token });

  it('renames, keeps the id, and frees the old name once its hold ends', async () => {
    const dee = await guest(uniqueName('Dee'));
    const said = await openRoom('global', dee.token);
    await say(said, 'said before the rename');
    said.close();
    await drain('global');
    const newName = uniqueName('Dora');
    const res = await rename(dee.token, newName);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: unknown }).user).toMatchObject({
      id: dee.id,
      name: newName,
      username: newName,
    });
    const me = await api('/me', { token: dee.token });
    expect(((await me.json()) as { user: { name: string } }).user.name).toBe(newName);
    await releaseHeldNames(dee.id);
    const taker = await guest(dee.name);
    expect(taker.id).not.toBe(dee.id);
    // The message is Dee's under Dee's current name, never the newcomer's.
    const page = await history('global', taker.token, '?limit=100');
    const mine = page.messages.filter((m) => m.text === 'said before the rename');
    expect(mine.map((m) => [m.author.id, (m.author as { name?: string }).name])).toEqual([
      [dee.id, newName],
    ]);
  });

  it('tells the user’s chats the new name at once', async () => {
    const dee = await guest(uniqueName('Dee'));
    const bob = await guest();
    const room = await createRoom(dee.token);
    await join(room.id, bob.token);
    const watching = await openRoom(room.id, bob.token);
    const newName = uniqueName('Dora');
    expect((await rename(dee.token, newName)).status).toBe(200);
    const frame = await watching.q.take((f) => f.type === 'user', 5000, 'user frame');
    expect(frame).toEqual({
      type: 'user',
      user: { id: dee.id, name: newName, color: expect.stringMatching(/^#/), guest: true },
    });
    watching.close();
  });

  it('refuses a taken name and a look-alike of an existing one', async () => {
    const dee = await guest(uniqueName('Dee'));
    const other = await guest();
    await expectError(await rename(other.token, dee.name.toUpperCase()), 409, 'username_taken');
    const lookalike = dee.name.replace('e', '\u0435'); // Cyrillic small ie
    const err = await expectError(await rename(other.token, lookalike), 409, 'name_too_similar');
    expect(err.field).toBe('username');
  });

  it('refuses an invisible character', async () => {
    const g = await guest();
    const err = await expectError(
      await rename(g.token, `${g.name}\u3164`),
      400,
      'validation_failed',
    );
    expect(err.field).toBe('username');
  });

  it('limits renames per user with 429 rate_limited and Retry-After', async () => {
    const g = await guest();
    for (let i = 0; i < 3; i += 1) {
      expect((await rename(g.token, uniqueName('r'))).status).toBe(200);
    }
    const res = await rename(g.token, uniqueName('r'));
    await expectError(res, 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
