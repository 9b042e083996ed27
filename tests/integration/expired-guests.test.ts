/**
 * A guest whose sessions have all expired gives their name up when someone claims it, as a
 * guest who signs out does (src/worker/account/expired-guests.ts). Time passes here by
 * moving the rows' times back in D1: the Worker reads the database's clock, no request's.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  api,
  createRoom,
  drain,
  embeddedRoom,
  expectError,
  GOOD_PASSWORD,
  guest,
  history,
  newVisitor,
  openRoom,
  releaseHeldNames,
  say,
  SITE,
  testClientIp,
  uniqueName,
  visitorOf,
} from '../helpers';

const DAY = 24 * 3600 * 1000;

/** Moves the user's creation and every session's end `daysAgo` days into the past. */
async function expire(userId: string, { createdDaysAgo = 400, endedDaysAgo = 8 } = {}) {
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare('UPDATE users SET created_at = ?2 WHERE id = ?1').bind(
      userId,
      now - createdDaysAgo * DAY,
    ),
    env.DB.prepare('UPDATE sessions SET expires_at = ?2 WHERE user_id = ?1').bind(
      userId,
      now - endedDaysAgo * DAY,
    ),
  ]);
}

const userRow = (id: string) =>
  env.DB.prepare(
    `SELECT username, username_key = ?2 AS released, guest_device_hash, display_skeleton,
       profile ->> '$.displayName' AS display_name
     FROM users WHERE id = ?1`,
  )
    .bind(id, `\u{10FFFF}signed-out:${id}`)
    .first();

const registerAs = (username: string) =>
  api('/auth/register?token=1', {
    method: 'POST',
    json: { username, password: GOOD_PASSWORD },
    headers: { 'cf-connecting-ip': testClientIp() },
  });

describe('a guest whose sessions have all expired', () => {
  it('gives up their name to the next claim, shown as "Former guest" from then on', async () => {
    const dee = await guest(uniqueName('Dee'));
    const room = await createRoom(dee.token);
    const socket = await openRoom(room.id, dee.token);
    await say(socket, 'hello from Dee');
    socket.close();
    await drain(room.id);
    await expire(dee.id, { endedDaysAgo: 8 });

    const res = await registerAs(dee.name);
    expect(res.status).toBe(201);
    const taker = ((await res.json()) as { user: { id: string; name: string } }).user;
    expect(taker.name).toBe(dee.name);
    expect(taker.id).not.toBe(dee.id);
    expect(await userRow(dee.id)).toEqual({
      username: 'Former guest',
      released: 1,
      guest_device_hash: null,
      display_skeleton: '',
      display_name: null,
    });
    // Their message is still theirs, under the placeholder, not under the new holder's name.
    const page = await history(room.id, (await guest()).token);
    expect(page.messages.map((m) => [m.author.id, m.author.name, m.text])).toEqual([
      [dee.id, 'Former guest', 'hello from Dee'],
    ]);
    // Held from the end of their last session, as a sign-out would have held it then.
    const hold = await env.DB.prepare(
      'SELECT release_at < ?2 AS over FROM name_holds WHERE user_id = ?1',
    )
      .bind(dee.id, Date.now())
      .first();
    expect(hold).toEqual({ over: 1 });
  });

  it('has the name held for the rest of a hold when their last session ended recently', async () => {
    const dee = await guest(uniqueName('Dee'));
    await expire(dee.id, { endedDaysAgo: 2 });
    const held = await expectError(await registerAs(dee.name), 409, 'username_taken');
    expect(held.message).toBe(
      'That name was in use until recently and is held for a few days; choose another',
    );
    expect(await userRow(dee.id)).toMatchObject({ username: 'Former guest', released: 1 });
    await releaseHeldNames(dee.id);
    expect((await registerAs(dee.name)).status).toBe(201);
  });

  it('gives up a display name to a look-alike one', async () => {
    const dee = await guest();
    const shown = `Dee ${crypto.randomUUID().slice(0, 8)}`;
    const named = await api('/me/profile', {
      method: 'PATCH',
      json: { displayName: shown },
      token: dee.token,
    });
    expect(named.status).toBe(200);
    const other = await guest();
    const lookAlike = shown.replace('e', '\u0435'); // Cyrillic е
    const showAs = () =>
      api('/me/profile', { method: 'PATCH', json: { displayName: lookAlike }, token: other.token });
    await expectError(await showAs(), 409, 'name_too_similar');
    await expire(dee.id);
    const res = await showAs();
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { displayName: string } }).user.displayName).toBe(
      lookAlike,
    );
    expect(await userRow(dee.id)).toMatchObject({
      username: 'Former guest',
      display_skeleton: '',
      display_name: null,
    });
  });

  it('releases an expired widget visitor\'s name as "Former visitor"', async () => {
    const { room } = await embeddedRoom();
    const visitor = await visitorOf(room.id);
    await expire(visitor.id, { createdDaysAgo: 40 });
    const res = await newVisitor({ room: room.id, origin: SITE, name: visitor.name });
    expect(res.status).toBe(201);
    expect(await userRow(visitor.id)).toMatchObject({ username: 'Former visitor', released: 1 });
  });
});

describe('a guest is not released', () => {
  it('while any session of theirs is live, however old the guest', async () => {
    const dee = await guest(uniqueName('Dee'));
    const second = await api('/auth/guest?token=1', {
      method: 'POST',
      json: { name: dee.name },
      headers: { cookie: dee.cookies.map((c) => c.split(';')[0]).join('; ') },
    });
    expect(second.status).toBe(200);
    // The first session ran out; the one from coming back on the same device is live.
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare('UPDATE users SET created_at = ?2 WHERE id = ?1').bind(
        dee.id,
        now - 400 * DAY,
      ),
      env.DB.prepare(
        `UPDATE sessions SET expires_at = ?2 WHERE user_id = ?1
         AND id = (SELECT id FROM sessions WHERE user_id = ?1 ORDER BY created_at LIMIT 1)`,
      ).bind(dee.id, now - 30 * DAY),
    ]);
    await expectError(await registerAs(dee.name), 409, 'username_taken');
    expect(await userRow(dee.id)).toMatchObject({ username: dee.name, released: 0 });
    // The expired session is over; the live one is still Dee.
    expect((await api('/me', { token: dee.token })).status).toBe(401);
    const { user } = (await second.json()) as { user: { token: string } };
    const me = await api('/me', { token: user.token });
    expect(((await me.json()) as { user: { id: string; name: string } }).user).toMatchObject({
      id: dee.id,
      name: dee.name,
    });
  });

  it('before their first session could have run out, even with every session ended', async () => {
    const dee = await guest(uniqueName('Dee'));
    await expire(dee.id, { createdDaysAgo: 100, endedDaysAgo: 8 });
    await expectError(await registerAs(dee.name), 409, 'username_taken');
    expect(await userRow(dee.id)).toMatchObject({ username: dee.name, released: 0 });
  });

  it('when they claimed an account (a password): only guests expire', async () => {
    const dee = await guest(uniqueName('Dee'));
    const claimed = await api('/auth/claim', {
      method: 'POST',
      json: { password: GOOD_PASSWORD },
      token: dee.token,
    });
    expect(claimed.status).toBe(200);
    await expire(dee.id);
    await expectError(await registerAs(dee.name), 409, 'username_taken');
    expect(await userRow(dee.id)).toMatchObject({ username: dee.name, released: 0 });
  });
});
