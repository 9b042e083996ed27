/**
 * Account care (issue 12) against the real Worker, D1 with the real migrations, and real
 * room and hub objects: password change, username holds, sessions, deletion, email
 * verification and password reset by mail (the development outbox in D1).
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  api,
  clientId,
  createRoom,
  drain,
  expectError,
  GOOD_PASSWORD,
  guest,
  history,
  join,
  openLobby,
  openRoom,
  register,
  say,
  testClientIp,
  uniqueName,
} from '../helpers';
import { byType } from '../socket-client';

const NEW_PASSWORD = 'violet-Lantern-harbour-42';

function login(username: string, password: string, userAgent?: string) {
  return api('/auth/login?token=1', {
    method: 'POST',
    json: { username, password },
    headers: {
      'cf-connecting-ip': testClientIp(),
      ...(userAgent && { 'user-agent': userAgent }),
    },
  });
}

async function loginToken(username: string, password = GOOD_PASSWORD, userAgent?: string) {
  const res = await login(username, password, userAgent);
  expect(res.status).toBe(200);
  return ((await res.json()) as { user: { token: string } }).user.token;
}

const post = (path: string, token: string | undefined, json: unknown = {}) =>
  api(path, { method: 'POST', json, ...(token && { token }) });

/** The newest mail in the development outbox to `to`, and the token its link carries. */
async function lastMailTo(to: string) {
  const row = await env.DB.prepare(
    'SELECT subject, text FROM dev_outbox WHERE "to" = ? ORDER BY id DESC LIMIT 1',
  )
    .bind(to)
    .first<{ subject: string; text: string }>();
  if (!row) return null;
  const token = /#token=([\w-]+)/.exec(row.text)?.[1];
  return { ...row, token: token! };
}

const mailCount = async (to: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM dev_outbox WHERE "to" = ?')
    .bind(to)
    .first<{ n: number }>())!.n;

const address = () => `${uniqueName('mail')}@example.test`.toLowerCase();

describe('changing the password', () => {
  it('refuses a wrong current password and a weak new one, changing nothing', async () => {
    const user = await register();
    const wrong = await post('/me/password', user.token, {
      current: 'not-my-password-at-all',
      password: NEW_PASSWORD,
    });
    const err = await expectError(wrong, 403, 'invalid_credentials');
    expect(err.field).toBe('current');
    const weak = await post('/me/password', user.token, {
      current: GOOD_PASSWORD,
      password: 'password123',
    });
    await expectError(weak, 400, 'weak_password');
    // The old password still signs in; the refused new ones do not.
    expect((await login(user.username, GOOD_PASSWORD)).status).toBe(200);
    await expectError(await login(user.username, NEW_PASSWORD), 401, 'invalid_credentials');
  });

  it('signs every other session out and closes their sockets; this one stays', async () => {
    const user = await register();
    const other = await loginToken(user.username);
    const room = await openRoom('global', other);
    const otherLobby = await openLobby({ token: other });
    const mine = await openLobby(user);

    const res = await post('/me/password', user.token, {
      current: GOOD_PASSWORD,
      password: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: 1 });

    expect((await room.q.closedWith()).code).toBe(1008);
    expect((await otherLobby.q.closedWith()).code).toBe(1008);
    await expectError(await api('/me', { token: other }), 401, 'session_expired');
    expect((await api('/me', { token: user.token })).status).toBe(200);
    expect(mine.q.closed).toBeNull();
    await expectError(await login(user.username, GOOD_PASSWORD), 401, 'invalid_credentials');
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);
    mine.close();
  });

  it('is refused to a guest, who has no password to give', async () => {
    const g = await guest();
    const res = await post('/me/password', g.token, { current: '', password: NEW_PASSWORD });
    await expectError(res, 400, 'bad_request');
  });
});

describe('changing the username', () => {
  it('holds the old name for others until the delay ends, but not for its holder', async () => {
    const a = await register();
    const old = a.username;
    const renamed = uniqueName('renamed');
    const res = await api('/me', { method: 'PATCH', json: { username: renamed }, token: a.token });
    expect(res.status).toBe(200);

    // Someone else: the old name, its case variant, and a look-alike are all held.
    const take = (username: string) =>
      api('/auth/register', { method: 'POST', json: { username, password: GOOD_PASSWORD } });
    await expectError(await take(old), 409, 'username_taken');
    await expectError(await take(old.toUpperCase()), 409, 'username_taken');
    const lookAlike = old.replace('u', 'υ'); // Greek upsilon
    expect(lookAlike).not.toBe(old);
    await expectError(await take(lookAlike), 409, 'username_taken');
    const b = await register();
    const grab = await api('/me', { method: 'PATCH', json: { username: old }, token: b.token });
    await expectError(grab, 409, 'username_taken');

    // The hold is kept in D1 even against a writer that skips the Worker's check (a race).
    const raw = env.DB.prepare(
      `INSERT INTO users (id, username, username_key, name_skeleton, color, created_at)
       VALUES (?, ?, ?, ?, '#000000', 0)`,
    ).bind(crypto.randomUUID(), old, old.toLowerCase(), `fresh-${crypto.randomUUID()}`);
    await expect(raw.run()).rejects.toThrow(/UNIQUE constraint failed: name_holds/);

    // The delay passes (the hold's release time moved into the past): the name is free.
    await env.DB.prepare('UPDATE name_holds SET release_at = ? WHERE user_id = ?')
      .bind(Date.now() - 1, a.id)
      .run();
    expect((await take(old)).status).toBe(201);
  });

  it('lets the holder take the old name back during the delay', async () => {
    const a = await register();
    const old = a.username;
    const patch = (username: string) =>
      api('/me', { method: 'PATCH', json: { username }, token: a.token });
    expect((await patch(uniqueName('tmp'))).status).toBe(200);
    expect((await patch(old)).status).toBe(200);
    expect((await login(old, GOOD_PASSWORD)).status).toBe(200);
  });

  it('keeps mentions working: they name the id, shown by the current name', async () => {
    const a = await register();
    const b = await register();
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const s = await openRoom(room.id, b.token);
    await say(s, `hello <@${a.id}>`);
    const renamed = uniqueName('mentioned');
    const res = await api('/me', { method: 'PATCH', json: { username: renamed }, token: a.token });
    expect(res.status).toBe(200);
    // The room tells its clients the new name for that id; the stored text still names the id.
    const frame = await s.q.take((f) => f.type === 'user');
    expect(frame.user).toMatchObject({ id: a.id, name: renamed });
    await drain(room.id);
    const page = await history(room.id, b.token);
    expect(page.messages.map((m) => m.text)).toEqual([`hello <@${a.id}>`]);
    const person = await api(`/users/${a.id}`, { token: b.token });
    expect(((await person.json()) as { user: { name: string } }).user.name).toBe(renamed);
    s.close();
  });
});

describe('the session list', () => {
  it('lists live sessions with device and this one marked, and signs one out', async () => {
    const user = await register();
    const firefox = await loginToken(
      user.username,
      GOOD_PASSWORD,
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0',
    );
    const chrome = await loginToken(
      user.username,
      GOOD_PASSWORD,
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36',
    );
    const res = await api('/me/sessions', { token: chrome });
    expect(res.status).toBe(200);
    const { sessions } = (await res.json()) as {
      sessions: { id: string; device: string | null; current: boolean; createdAt: number }[];
    };
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current).map((s) => s.device)).toEqual(['Chrome on Linux']);
    const ff = sessions.find((s) => s.device === 'Firefox on Windows')!;
    expect(ff).toBeDefined();

    const socket = await openRoom('global', firefox);
    const out = await post(`/me/sessions/${ff.id}/revoke`, chrome);
    expect(out.status).toBe(200);
    expect((await socket.q.closedWith()).code).toBe(1008);
    await expectError(await api('/me', { token: firefox }), 401, 'session_expired');
    expect((await api('/me', { token: chrome })).status).toBe(200);

    // Again, or another user's session: the same 404, nothing revoked.
    await expectError(await post(`/me/sessions/${ff.id}/revoke`, chrome), 404, 'not_found');
    const stranger = await register();
    const strangerSession = sessions.find((s) => !s.current && s.id !== ff.id)!;
    await expectError(
      await post(`/me/sessions/${strangerSession.id}/revoke`, stranger.token),
      404,
      'not_found',
    );
    expect((await api('/me', { token: user.token })).status).toBe(200);
  });

  it('signs out everywhere else, closing those sockets, and keeps this session', async () => {
    const user = await register();
    const second = await loginToken(user.username);
    const third = await loginToken(user.username);
    const sockets = [await openLobby({ token: second }), await openRoom('global', third)];
    const res = await post('/me/sessions/revoke-others', user.token);
    expect(await res.json()).toEqual({ revoked: 2 });
    for (const s of sockets) expect((await s.q.closedWith()).code).toBe(1008);
    const list = (await (await api('/me/sessions', { token: user.token })).json()) as {
      sessions: { current: boolean }[];
    };
    expect(list.sessions).toEqual([expect.objectContaining({ current: true })]);
  });

  it('notes when a session was last seen when its lobby socket opens', async () => {
    const user = await register();
    const s = await openLobby(user);
    const seen = async () =>
      (await env.DB.prepare('SELECT last_seen_at FROM sessions WHERE user_id = ?')
        .bind(user.id)
        .first<{ last_seen_at: number | null }>())!.last_seen_at;
    for (let i = 0; i < 50 && (await seen()) === null; i += 1) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await seen()).toEqual(expect.any(Number));
    s.close();
  });
});

describe('deleting an account', () => {
  it('removes every message and reaction, from D1, search, the room log and replays', async () => {
    const a = await register();
    const b = await register();
    const room = await createRoom(b.token);
    await join(room.id, a.token);
    const dmRes = await post('/dms', a.token, { userId: b.id });
    const dm = ((await dmRes.json()) as { chat: { id: string } }).chat.id;
    const secret = `zq${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;

    const sa = await openRoom(room.id, a.token);
    const sb = await openRoom(room.id, b.token);
    const bMsg = await say(sb, `b says hi ${secret}b`);
    const aSeqs = [
      (await say(sa, `first ${secret}`)).seq as number,
      (await say(sa, `second ${secret}`)).seq as number,
    ];
    sa.send({ type: 'react', target: bMsg.seq, emoji: '🎉', on: true });
    await sb.q.take((f) => f.type === 'reaction' && f.on === true);
    // One of A's messages reaches D1 and the search index; the last stays in the log only.
    await drain(room.id);
    const late = (await say(sa, `late ${secret}`)).seq as number;
    aSeqs.push(late);
    const sdm = await openRoom(dm, a.token);
    const dmSeq = (await say(sdm, `private ${secret}`)).seq as number;
    await drain(dm);
    // B has A as a DM contact: B's lobby shows A online; A's own lobby is open.
    const bLobby = await openLobby(b);
    const aLobby = await openLobby(a);
    await bLobby.q.take((f) => f.type === 'online' && (f.user as { id: string }).id === a.id);
    const hits = await api(`/search?q=${secret}`, { token: b.token });
    expect(((await hits.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);

    await expectError(
      await post('/me/delete', a.token, { password: 'wrong-password-x' }),
      403,
      'invalid_credentials',
    );
    await expectError(await post('/me/delete', a.token, {}), 403, 'invalid_credentials');
    const res = await post('/me/delete', a.token, { password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain('Max-Age=0');

    // A's sockets closed; B's socket sees the name change, a delete per message (in the
    // room's order) and the reaction taken back.
    expect((await sa.q.closedWith()).code).toBe(1008);
    expect((await aLobby.q.closedWith()).code).toBe(1008);
    // The hub: B's contact goes offline and is renamed "Deleted user".
    await bLobby.q.take((f) => f.type === 'offline' && (f.user as { id: string }).id === a.id);
    expect((await bLobby.q.take((f) => f.type === 'user')).user).toMatchObject({
      id: a.id,
      name: 'Deleted user',
    });
    const contacts = (await (await api('/presence', { token: b.token })).json()) as {
      online: { id: string }[];
    };
    expect(contacts.online.map((u) => u.id)).not.toContain(a.id);
    expect((await sb.q.take((f) => f.type === 'user')).user).toMatchObject({
      id: a.id,
      name: 'Deleted user',
    });
    const deleted: number[] = [];
    for (const _ of aSeqs) deleted.push((await sb.q.take(byType('delete'))).target as number);
    expect(deleted).toEqual(aSeqs);
    const unreact = await sb.q.take((f) => f.type === 'reaction' && f.on === false);
    expect(unreact).toMatchObject({ target: bMsg.seq, emoji: '🎉' });

    await drain(room.id);
    await drain(dm);
    // D1: no text of A's anywhere, no reaction, no membership but the DM's, no live session.
    const texts = await env.DB.prepare(`SELECT text, deleted_at FROM messages WHERE author_id = ?`)
      .bind(a.id)
      .all<{ text: string; deleted_at: number | null }>();
    expect(texts.results).toHaveLength(4);
    for (const row of texts.results)
      expect(row).toEqual({ text: '', deleted_at: expect.any(Number) });
    const counts = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM reactions WHERE user_id = ?1) AS reactions,
              (SELECT count(*) FROM memberships WHERE user_id = ?1 AND room_id NOT LIKE 'dm:%') AS rooms,
              (SELECT count(*) FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL) AS sessions,
              (SELECT count(*) FROM messages WHERE text LIKE '%' || ?2 || '%' AND author_id = ?1) AS words`,
    )
      .bind(a.id, secret)
      .first();
    expect(counts).toEqual({ reactions: 0, rooms: 0, sessions: 0, words: 0 });
    const user = await env.DB.prepare(
      'SELECT username, password_hash, email, deleted_at FROM users WHERE id = ?',
    )
      .bind(a.id)
      .first();
    expect(user).toEqual({
      username: 'Deleted user',
      password_hash: null,
      email: null,
      deleted_at: expect.any(Number),
    });

    // Search: B's own message is still found, A's are not (room and DM alike).
    const after = (await (await api(`/search?q=${secret}`, { token: b.token })).json()) as {
      results: { seq: number; roomId: string }[];
    };
    // (The secret is a prefix of B's word `<secret>b`: prefix search finds that one.)
    expect(after.results.map((h) => [h.roomId, h.seq])).toEqual([[room.id, bMsg.seq]]);
    const bOwn = (await (await api(`/search?q=${secret}b`, { token: b.token })).json()) as {
      results: { seq: number }[];
    };
    expect(bOwn.results.map((h) => h.seq)).toEqual([bMsg.seq]);

    // A fresh replay from the start carries none of A's text.
    const replay = await openRoom(room.id, b.token, 0);
    await replay.q.take((f) => f.type === 'caught_up' || f.type === 'resync');
    const replayed = JSON.stringify(replay.q.frames);
    expect(replayed).not.toContain(`first ${secret}`);
    expect(replayed).not.toContain(`late ${secret}`);
    const dmReplay = await openRoom(dm, b.token, 0);
    await dmReplay.q.take((f) => f.type === 'caught_up' || f.type === 'resync');
    expect(JSON.stringify(dmReplay.q.frames)).not.toContain(`private ${secret}`);
    expect(dmReplay.q.frames.some((f) => f.type === 'delete' && f.target === dmSeq)).toBe(true);
    // Nobody is left to read B's DM: a send there is refused and stores nothing.
    const refusedId = clientId();
    dmReplay.send({ type: 'send', clientId: refusedId, text: 'are you there?' });
    expect(await dmReplay.q.take((f) => f.type === 'error' && f.ref === refusedId)).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('deleted their account'),
    });
    // Their profile card says so (the client then offers no "Message").
    const card = await api(`/users/${a.id}/profile`, { token: b.token });
    expect(await card.json()).toMatchObject({ user: { name: 'Deleted user' }, deleted: true });
    const living = await api(`/users/${b.id}/profile`, { token: b.token });
    expect(await living.json()).not.toHaveProperty('deleted');

    // History shows tombstones; A cannot sign in; the name is held.
    const page = await history(room.id, b.token);
    expect(
      page.messages.filter((m) => m.author.id === a.id).map((m) => [m.deleted, m.text]),
    ).toEqual(aSeqs.map(() => [true, '']));
    await expectError(await login(a.username, GOOD_PASSWORD), 401, 'invalid_credentials');
    await expectError(await api('/me', { token: a.token }), 401, 'session_expired');
    const reuse = await api('/auth/register', {
      method: 'POST',
      json: { username: a.username, password: GOOD_PASSWORD },
    });
    await expectError(reuse, 409, 'username_taken');
    // Nobody can take the name tombstones show, nor find one or open a DM with it.
    const impostor = await api('/auth/register', {
      method: 'POST',
      json: { username: 'deleted USER', password: GOOD_PASSWORD },
    });
    await expectError(impostor, 409, 'username_taken');
    const found = await api(`/users?prefix=${encodeURIComponent('Deleted')}`, { token: b.token });
    expect(
      ((await found.json()) as { users: { id: string }[] }).users.map((u) => u.id),
    ).not.toContain(a.id);
    await expectError(await post('/dms', b.token, { userId: a.id }), 404, 'user_not_found');
    for (const s of [sb, sdm, replay, dmReplay, bLobby]) s.close();
  });

  it('asks a guest to confirm instead of a password', async () => {
    const g = await guest();
    await expectError(await post('/me/delete', g.token, {}), 400, 'validation_failed');
    const res = await post('/me/delete', g.token, { confirm: true });
    expect(res.status).toBe(200);
    await expectError(await api('/me', { token: g.token }), 401, 'session_expired');
  });
});

describe('email verification', () => {
  it('sends a link at sign-up that proves the address once, and not after it expires', async () => {
    const mail = address();
    const res = await api('/auth/register?token=1', {
      method: 'POST',
      json: { username: uniqueName(), password: GOOD_PASSWORD, email: mail },
    });
    expect(res.status).toBe(201);
    const { token } = ((await res.json()) as { user: { token: string } }).user;
    const account = async () => (await (await api('/me/account', { token })).json()) as object;
    expect(await account()).toEqual({ email: mail, emailVerified: false });

    const sent = (await lastMailTo(mail))!;
    expect(sent.text).toContain('https://parlor.test/account/verify#token=');
    // Only the hash is stored.
    const stored = await env.DB.prepare(
      'SELECT count(*) AS n FROM account_tokens WHERE token_hash = ?',
    )
      .bind(sent.token)
      .first<{ n: number }>();
    expect(stored!.n).toBe(0);

    const verify = (t: string) => post('/auth/verify-email', undefined, { token: t });
    expect((await verify(sent.token)).status).toBe(200);
    expect(await account()).toEqual({ email: mail, emailVerified: true });
    await expectError(await verify(sent.token), 400, 'invalid_token');
    await expectError(await verify('x'.repeat(43)), 400, 'invalid_token');

    // A new address needs the password, is unproven again, and its link can expire.
    const next = address();
    const noPassword = await api('/me/email', {
      method: 'PUT',
      json: { email: next, password: 'nope' },
      token,
    });
    await expectError(noPassword, 403, 'invalid_credentials');
    const changed = await api('/me/email', {
      method: 'PUT',
      json: { email: next, password: GOOD_PASSWORD },
      token,
    });
    expect(await changed.json()).toEqual({ email: next, emailVerified: false, mailSent: true });
    const link = (await lastMailTo(next))!;
    await env.DB.prepare(
      `UPDATE account_tokens SET expires_at = ? WHERE user_id = (SELECT id FROM users WHERE email = ?) AND used_at IS NULL`,
    )
      .bind(Date.now() - 1, next)
      .run();
    await expectError(await verify(link.token), 400, 'invalid_token');
    expect(await account()).toEqual({ email: next, emailVerified: false });
  });

  it('does not prove an address the account no longer has', async () => {
    const mail = address();
    const user = await register();
    const set = (email: string) =>
      api('/me/email', {
        method: 'PUT',
        json: { email, password: GOOD_PASSWORD },
        token: user.token,
      });
    await set(mail);
    const first = (await lastMailTo(mail))!;
    await set(address());
    await expectError(
      await post('/auth/verify-email', undefined, { token: first.token }),
      400,
      'invalid_token',
    );
  });
});

describe('password reset by mail', () => {
  async function verifiedUser() {
    const mail = address();
    const user = await register();
    await api('/me/email', {
      method: 'PUT',
      json: { email: mail, password: GOOD_PASSWORD },
      token: user.token,
    });
    const { token } = (await lastMailTo(mail))!;
    expect((await post('/auth/verify-email', undefined, { token })).status).toBe(200);
    return { ...user, mail };
  }

  const ask = (email: string) =>
    api('/auth/reset-request', {
      method: 'POST',
      json: { email },
      headers: { 'cf-connecting-ip': testClientIp() },
    });

  it('answers an unknown or unproven address exactly as a known one, mailing only the known', async () => {
    const user = await verifiedUser();
    const unproven = address();
    const other = await register();
    await api('/me/email', {
      method: 'PUT',
      json: { email: unproven, password: GOOD_PASSWORD },
      token: other.token,
    });
    const before = await mailCount(unproven);
    const answers = [];
    for (const email of [user.mail, address(), unproven]) {
      const res = await ask(email);
      answers.push({ status: res.status, body: await res.json() });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]!.status).toBe(200);
    // The mail leaves after the answer (waitUntil): wait for it.
    let mail = await lastMailTo(user.mail);
    for (let i = 0; i < 50 && !mail?.subject.includes('Reset'); i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      mail = await lastMailTo(user.mail);
    }
    expect(mail!.subject).toBe('Reset your Parlor password');
    expect(await mailCount(unproven)).toBe(before);
  });

  it('sets a new password once, signs out every session, and the link then fails', async () => {
    const user = await verifiedUser();
    const socket = await openRoom('global', user.token);
    await ask(user.mail);
    let mail = await lastMailTo(user.mail);
    for (let i = 0; i < 50 && !mail?.subject.includes('Reset'); i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      mail = await lastMailTo(user.mail);
    }
    const token = mail!.token;
    // A weak password is refused and leaves the link usable.
    await expectError(
      await post('/auth/reset', undefined, { token, password: 'password1' }),
      400,
      'weak_password',
    );
    const res = await post('/auth/reset', undefined, { token, password: NEW_PASSWORD });
    expect(res.status).toBe(200);
    expect((await socket.q.closedWith()).code).toBe(1008);
    await expectError(await api('/me', { token: user.token }), 401, 'session_expired');
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);
    await expectError(
      await post('/auth/reset', undefined, { token, password: 'another-Strong-pass-77' }),
      400,
      'invalid_token',
    );
  });

  it('ends a reset link when the address it went to is changed or removed', async () => {
    const resetLink = async (user: Awaited<ReturnType<typeof verifiedUser>>) => {
      await ask(user.mail);
      let mail = await lastMailTo(user.mail);
      for (let i = 0; i < 50 && !mail?.subject.includes('Reset'); i += 1) {
        await new Promise((r) => setTimeout(r, 20));
        mail = await lastMailTo(user.mail);
      }
      return mail!.token;
    };
    for (const next of [address(), null]) {
      const user = await verifiedUser();
      const token = await resetLink(user);
      const moved = await api('/me/email', {
        method: 'PUT',
        json: { email: next, password: GOOD_PASSWORD },
        token: user.token,
      });
      expect(moved.status).toBe(200);
      await expectError(
        await post('/auth/reset', undefined, { token, password: NEW_PASSWORD }),
        400,
        'invalid_token',
      );
      expect((await api('/me', { token: user.token })).status).toBe(200);
      expect((await login(user.username, GOOD_PASSWORD)).status).toBe(200);
    }
    // However the address changed, a link for another one than the account's proven address
    // is refused where it is used.
    const user = await verifiedUser();
    const token = await resetLink(user);
    await env.DB.prepare('UPDATE users SET email = ?2 WHERE id = ?1')
      .bind(user.id, address())
      .run();
    await expectError(
      await post('/auth/reset', undefined, { token, password: NEW_PASSWORD }),
      400,
      'invalid_token',
    );
    expect((await login(user.username, GOOD_PASSWORD)).status).toBe(200);
  });

  it('refuses an expired link', async () => {
    const user = await verifiedUser();
    await ask(user.mail);
    let mail = await lastMailTo(user.mail);
    for (let i = 0; i < 50 && !mail?.subject.includes('Reset'); i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      mail = await lastMailTo(user.mail);
    }
    await env.DB.prepare(
      `UPDATE account_tokens SET expires_at = ? WHERE user_id = ? AND kind = 'reset_password'`,
    )
      .bind(Date.now() - 1, user.id)
      .run();
    await expectError(
      await post('/auth/reset', undefined, { token: mail!.token, password: NEW_PASSWORD }),
      400,
      'invalid_token',
    );
    expect((await login(user.username, GOOD_PASSWORD)).status).toBe(200);
  });
});

describe('the development outbox page', () => {
  it('lists mails with their own links clickable and everything else escaped', async () => {
    const mail = `${uniqueName('x')}@example.test`.toLowerCase();
    await env.DB.prepare(
      'INSERT INTO dev_outbox ("to", subject, text, created_at) VALUES (?, ?, ?, ?)',
    )
      .bind(
        mail,
        '<b>hi</b>',
        'see https://parlor.test/account/reset#token=abc and https://evil.test/x',
        Date.now(),
      )
      .run();
    const res = await api('/_dev/outbox');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('&lt;b&gt;hi&lt;/b&gt;');
    expect(html).toContain('<a href="https://parlor.test/account/reset#token=abc">');
    expect(html).not.toContain('<a href="https://evil.test');
  });
});
