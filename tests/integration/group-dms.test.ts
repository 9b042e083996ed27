/**
 * Group DMs (issue 12): a chat of 3–8 people, one per set of people, its id derived from the
 * sorted member ids like a pair's. Opening, every refusal, privacy on every route and socket,
 * activity notices only to the members' hub shards (3 shards in tests), search, receipts,
 * and deleting a member's account.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  activityIn,
  api,
  expectRefusedSocket,
  drain,
  expectError,
  GOOD_PASSWORD,
  guestOn,
  ORIGIN,
  openLobby,
  openRoom,
  register,
  say,
} from '../helpers';
import { byType } from '../socket-client';

type Person = { id: string; token: string };
interface Chat {
  id: string;
  kind: string;
  name: string;
  peer: unknown;
  members?: { id: string; name: string }[];
  notify: string;
}

const SHARDS = Number(env.HUB_SHARDS);
const enc = encodeURIComponent;

const post = (path: string, token: string, json: unknown) =>
  api(path, { method: 'POST', json, token });

async function openGroup(by: Person, others: Person[]): Promise<Chat> {
  const res = await post('/dms/group', by.token, { userIds: others.map((o) => o.id) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { chat: Chat }).chat;
}

/** People one at a time: sign-up hashes passwords, and the server takes a few at once. */
async function people(n: number): Promise<Person[]> {
  const made: Person[] = [];
  for (let i = 0; i < n; i += 1) made.push(await register());
  return made;
}

async function chatsOf(p: Person): Promise<Chat[]> {
  return ((await (await api('/chats', { token: p.token })).json()) as { chats: Chat[] }).chats;
}

describe('opening a group DM', () => {
  it('derives one chat from the sorted set: any member, any order, opens the same one', async () => {
    const [a, b, c] = await people(3);
    const chat = await openGroup(a!, [c!, b!]);
    expect(chat.id).toBe(`dm:${[a!.id, b!.id, c!.id].sort().join(':')}`);
    expect(chat).toMatchObject({ kind: 'dm', peer: null, notify: 'all' });
    expect(chat.members!.map((m) => m.id).sort()).toEqual([b!.id, c!.id].sort());
    expect(chat.name.split(', ').sort()).toEqual(chat.members!.map((m) => m.name).sort());

    const again = await openGroup(c!, [a!, b!]);
    expect(again.id).toBe(chat.id);
    const rows = await env.DB.prepare(
      'SELECT (SELECT count(*) FROM rooms WHERE id = ?1) AS rooms, (SELECT count(*) FROM memberships WHERE room_id = ?1) AS members',
    )
      .bind(chat.id)
      .first<{ rooms: number; members: number }>();
    expect(rows).toEqual({ rooms: 1, members: 3 });
    // A pair stays a pair, with its own id: a different chat.
    const pair = await post('/dms', a!.token, { userId: b!.id });
    expect(((await pair.json()) as { chat: Chat }).chat.id).toBe(
      `dm:${[a!.id, b!.id].sort().join(':')}`,
    );
  });

  it('holds up to eight people, and the facts route names the others', async () => {
    const [me, ...others] = await people(8);
    const chat = await openGroup(me!, others);
    expect(chat.id.split(':')).toHaveLength(9);
    const res = await api(`/rooms/${enc(chat.id)}`, { token: me!.token });
    expect(res.status).toBe(200);
    const { room } = (await res.json()) as { room: { name: string; kind: string } };
    expect(room.kind).toBe('dm');
    expect(room.name.split(', ')).toHaveLength(7);
  });

  it('refuses fewer than two others, more than seven, duplicates, yourself and no list', async () => {
    const [me, ...others] = await people(9);
    const ids = others.map((o) => o.id);
    const cases: [unknown, string][] = [
      [{ userIds: [] }, 'userIds'],
      [{ userIds: [ids[0]] }, 'userIds'],
      [{ userIds: ids.slice(0, 8) }, 'userIds'],
      [{ userIds: [ids[0], ids[1], ids[0]] }, 'userIds.2'],
      [{ userIds: [ids[0], me!.id] }, 'userIds.1'],
      [{ userIds: 'everyone' }, 'userIds'],
      [{ userIds: [ids[0], 7] }, 'userIds.1'],
      [{ userIds: [ids[0], ''] }, 'userIds.1'],
      [{}, 'userIds'],
    ];
    for (const [body, field] of cases) {
      const error = await expectError(
        await post('/dms/group', me!.token, body),
        400,
        'validation_failed',
      );
      expect(error.field, JSON.stringify(body)).toBe(field);
    }
    const few = await expectError(
      await post('/dms/group', me!.token, { userIds: [ids[0]] }),
      400,
      'validation_failed',
    );
    expect(few.message).toMatch(/at least 2 other people/);
    const many = await expectError(
      await post('/dms/group', me!.token, { userIds: ids.slice(0, 8) }),
      400,
      'validation_failed',
    );
    expect(many.message).toMatch(/at most 8 people/);
    // Nothing was created by any refusal.
    const made = await env.DB.prepare('SELECT count(*) AS n FROM rooms WHERE created_by = ?')
      .bind(me!.id)
      .first<{ n: number }>();
    expect(made!.n).toBe(0);
  });

  it('refuses unknown and deleted accounts as no such user, naming the entry', async () => {
    const [me, b, gone] = await people(3);
    const unknown = await expectError(
      await post('/dms/group', me!.token, { userIds: [b!.id, crypto.randomUUID()] }),
      404,
      'user_not_found',
    );
    expect(unknown.field).toBe('userIds.1');
    const del = await post('/me/delete', gone!.token, { password: GOOD_PASSWORD });
    expect(del.status).toBe(200);
    const deleted = await expectError(
      await post('/dms/group', me!.token, { userIds: [gone!.id, b!.id] }),
      404,
      'user_not_found',
    );
    expect(deleted.field).toBe('userIds.0');
  });

  it('refuses without a session, and a cross-site page', async () => {
    const [a, b] = await people(2);
    const anonymous = await api('/dms/group', {
      method: 'POST',
      json: { userIds: [a!.id, b!.id] },
    });
    await expectError(anonymous, 401, 'unauthorized');
    const [me] = await people(1);
    const csrf = await api('/dms/group', {
      method: 'POST',
      body: JSON.stringify({ userIds: [a!.id, b!.id] }),
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      token: me!.token,
    });
    await expectError(csrf, 403, 'origin_not_allowed');
  });

  it('limits new groups per person (429 with Retry-After); reopening one is free', async () => {
    const [me, b, c, d] = await people(4);
    const chat = await openGroup(me!, [b!, c!]);
    await env.DB.prepare(
      'INSERT OR REPLACE INTO rate_buckets (key, tokens, updated_at) VALUES (?, 0, ?)',
    )
      .bind(`group-dm:${me!.id}`, Date.now())
      .run();
    const res = await post('/dms/group', me!.token, { userIds: [b!.id, d!.id] });
    await expectError(res, 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await openGroup(me!, [c!, b!])).id).toBe(chat.id);
  });
});

describe('a group DM is private to its members', () => {
  it('refuses a non-member every route and the socket, by the group’s id', async () => {
    const [a, b, c, stranger] = await people(4);
    const chat = await openGroup(a!, [b!, c!]);
    const s = await openRoom(chat.id, a!.token);
    await say(s, 'group secret pelican');
    s.close();
    await drain(chat.id);
    const room = `/rooms/${enc(chat.id)}`;
    const refusals: [string, RequestInit & { json?: unknown }][] = [
      [room, {}],
      [`${room}/messages`, {}],
      [`${room}/online`, {}],
      [`${room}/members?q=`, {}],
      [`${room}/receipt`, {}],
      [`${room}/read`, { method: 'PUT', json: { seq: 1 } }],
      [`${room}/notify`, { method: 'PUT', json: { level: 'all' } }],
      [`${room}/join`, { method: 'POST', json: {} }],
      [`/search?q=pelican&in=${enc(chat.id)}`, {}],
    ];
    for (const [path, init] of refusals) {
      const res = await api(path, { ...init, token: stranger!.token });
      const text = await res.text();
      expect(res.status, path).toBe(403);
      expect(text, path).not.toContain('pelican');
    }
    await expectRefusedSocket(`${room}/ws`, stranger!.token, 'forbidden');
    const search = await api('/search?q=pelican', { token: stranger!.token });
    expect(await search.text()).not.toContain('pelican');
    expect((await chatsOf(stranger!)).map((x) => x.id)).not.toContain(chat.id);
    // Someone in a pair with a member is still outside the group.
    const pair = await post('/dms', stranger!.token, { userId: a!.id });
    expect(pair.status).toBe(200);
    expect((await api(`${room}/messages`, { token: stranger!.token })).status).toBe(403);
  });

  it('serves its files to its members only', async () => {
    const [a, b, c, stranger] = await people(4);
    const chat = await openGroup(a!, [b!, c!]);
    const png = Uint8Array.from(
      atob(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      ),
      (ch) => ch.charCodeAt(0),
    );
    const upload = (token: string) =>
      api(`/rooms/${enc(chat.id)}/files?name=dot.png`, {
        method: 'POST',
        token,
        body: png,
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(png.byteLength),
          origin: ORIGIN,
        },
      });
    await expectError(await upload(stranger!.token), 403, 'forbidden');
    const res = await upload(b!.token);
    expect(res.status).toBe(201);
    const { file } = (await res.json()) as { file: { id: string } };
    const s = await openRoom(chat.id, b!.token);
    const id = crypto.randomUUID();
    s.send({ type: 'send', clientId: id, text: 'a dot', files: [file.id] });
    await s.q.take((f) => f.type === 'ack' && f.clientId === id);
    s.close();
    for (const member of [a!, b!, c!]) {
      expect((await api(`/files/${file.id}`, { token: member.token })).status).toBe(200);
    }
    const refused = await api(`/files/${file.id}`, { token: stranger!.token });
    expect(refused.status).toBe(403);
    expect(new Uint8Array(await refused.arrayBuffer())).not.toEqual(png);
  });

  it('refuses an id that names the caller among people who have no such group', async () => {
    const [a, b] = await people(2);
    const made = `dm:${[a!.id, b!.id, crypto.randomUUID()].sort().join(':')}`;
    const res = await api(`/rooms/${enc(made)}/messages`, { token: a!.token });
    expect([403, 404]).toContain(res.status);
    await expectRefusedSocket(`/rooms/${enc(made)}/ws`, a!.token, 'room_not_found');
  });

  it('lets every member search its messages, whatever their place in the sorted id', async () => {
    const [a, b, c] = await people(3);
    const chat = await openGroup(a!, [b!, c!]);
    const word = `zq${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const s = await openRoom(chat.id, b!.token);
    await say(s, `about ${word}`);
    s.close();
    await drain(chat.id);
    for (const p of [a!, b!, c!]) {
      const res = await api(`/search?q=${word}&in=${enc(chat.id)}`, { token: p.token });
      expect(res.status).toBe(200);
      const { results } = (await res.json()) as {
        results: { roomId: string; roomName: string }[];
      };
      expect(results.map((r) => r.roomId)).toEqual([chat.id]);
      expect(results[0]!.roomName.split(', ')).toHaveLength(2);
    }
  });
});

describe('group DM messages and notices', () => {
  it('delivers live to every member and activity only to the members’ hub shards', async () => {
    expect(SHARDS).toBe(3);
    const [a, b, c] = [await guestOn(0), await guestOn(1), await guestOn(2)];
    const strangers = [await guestOn(0), await guestOn(1), await guestOn(2)];
    const lobbies = await Promise.all([a, b, c].map((p) => openLobby(p)));
    const strangerLobbies = await Promise.all(strangers.map((p) => openLobby(p)));
    const chat = await openGroup(a, [b, c]);
    const sockets = await Promise.all([a, b, c].map((p) => openRoom(chat.id, p.token)));
    const sent = await say(sockets[1]!, `hi all <@${c.id}>`);
    for (const s of sockets) {
      expect(await s.q.take(byType('message'))).toMatchObject({
        seq: sent.seq,
        message: { author: { id: b.id } },
      });
    }
    for (const [i, lobby] of lobbies.entries()) {
      expect(await lobby.q.take(activityIn(chat.id))).toMatchObject({
        kind: 'dm',
        seq: sent.seq,
        level: 'all',
        mentionsYou: i === 2,
      });
    }
    // Each stranger's shard delivered its member's notice in the same step: nothing for them.
    for (const l of strangerLobbies) expect(l.q.frames.filter(activityIn(chat.id))).toEqual([]);
    const stats = await env.ROOM.get(env.ROOM.idFromName(chat.id)).getStats();
    expect(stats.hubShards).toEqual([]);
    // The others became contacts: b's lobby hears c go offline.
    sockets.forEach((s) => s.close());
    lobbies[2]!.close();
    await lobbies[1]!.q.take((f) => f.type === 'offline' && (f.user as { id: string }).id === c.id);
    for (const l of [...lobbies, ...strangerLobbies]) l.close();
  });

  it('shows each member the others’ receipts, only between members who have them on', async () => {
    const [a, b, c] = await people(3);
    const chat = await openGroup(a!, [b!, c!]);
    const sa = await openRoom(chat.id, a!.token);
    const sc = await openRoom(chat.id, c!.token);
    const first = await say(sa, 'read me');
    const off = await api('/me/profile', {
      method: 'PATCH',
      json: { readReceipts: false },
      token: c!.token,
    });
    expect(off.status).toBe(200);
    const read = await api(`/rooms/${enc(chat.id)}/read`, {
      method: 'PUT',
      json: { seq: first.seq },
      token: b!.token,
    });
    expect(read.status).toBe(200);
    expect(await sa.q.take(byType('read'))).toMatchObject({ user: b!.id, seq: first.seq });
    const receipt = await api(`/rooms/${enc(chat.id)}/receipt`, { token: a!.token });
    const body = (await receipt.json()) as { seq: null; reads: { userId: string; seq: number }[] };
    expect(body.seq).toBeNull();
    // c has receipts off, so a sees b's cursor only.
    expect(body.reads).toEqual([{ userId: b!.id, seq: first.seq }]);
    // c turned receipts off: sees nobody's, and nobody sees c's.
    const cReceipt = await api(`/rooms/${enc(chat.id)}/receipt`, { token: c!.token });
    expect(await cReceipt.json()).toEqual({ seq: null, reads: [] });
    // A later frame for a reaches a; c's socket never got b's read frame.
    const second = await say(sa, 'and me');
    await sc.q.take((f) => f.type === 'message' && f.seq === second.seq);
    expect(sc.q.frames.filter(byType('read'))).toEqual([]);
    sa.close();
    sc.close();
  });

  it('brings a member’s receipt to the viewers’ sockets on relays too, and not to the reader’s', async () => {
    // Tests bound a room's own sockets at 5 (ROOM_DIRECT_SOCKETS): 8 sockets put 3 on relays.
    const [a, b, c] = await people(3);
    const chat = await openGroup(a!, [b!, c!]);
    const viewers = [
      ...(await Promise.all([1, 2, 3, 4].map(() => openRoom(chat.id, a!.token)))),
      ...(await Promise.all([1, 2].map(() => openRoom(chat.id, c!.token)))),
    ];
    const readers = await Promise.all([1, 2].map(() => openRoom(chat.id, b!.token)));
    const stats = await env.ROOM.get(env.ROOM.idFromName(chat.id)).getStats();
    expect(stats.relays.reduce((n, k) => n + k, 0)).toBeGreaterThan(0);
    const sent = await say(viewers[0]!, 'read me');
    const read = await api(`/rooms/${enc(chat.id)}/read`, {
      method: 'PUT',
      json: { seq: sent.seq },
      token: b!.token,
    });
    expect(read.status).toBe(200);
    for (const s of viewers)
      expect(await s.q.take(byType('read'))).toMatchObject({ user: b!.id, seq: sent.seq });
    // A later message reached the reader's sockets; no receipt of their own did.
    const later = await say(viewers[0]!, 'and this');
    for (const s of readers) {
      await s.q.take((f) => f.type === 'message' && f.seq === later.seq);
      expect(s.q.frames.filter(byType('read'))).toEqual([]);
    }
    for (const s of [...viewers, ...readers]) s.close();
  });
});

describe('deleting a member’s account', () => {
  it('erases their messages, keeps the group for the others under "Deleted user"', async () => {
    const [a, b, c] = await people(3);
    const chat = await openGroup(a!, [b!, c!]);
    const sa = await openRoom(chat.id, a!.token);
    const sb = await openRoom(chat.id, b!.token);
    const secret = `zq${crypto.randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const mine = await say(sa, `a wrote ${secret}`);
    await say(sb, 'b stays');
    await drain(chat.id);

    const res = await post('/me/delete', a!.token, { password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    expect((await sa.q.closedWith()).code).toBe(1008);
    await sb.q.take((f) => f.type === 'delete' && f.target === mine.seq);
    await drain(chat.id);
    const row = await env.DB.prepare(
      'SELECT text, deleted_at FROM messages WHERE room_id = ? AND seq = ?',
    )
      .bind(chat.id, mine.seq)
      .first<{ text: string; deleted_at: number | null }>();
    expect(row).toMatchObject({ text: '' });
    expect(row!.deleted_at).not.toBeNull();
    const hits = await api(`/search?q=${secret}`, { token: b!.token });
    expect(await hits.text()).not.toContain(secret);

    const listed = (await chatsOf(c!)).find((x) => x.id === chat.id)!;
    expect(listed.members!.find((m) => m.id === a!.id)).toMatchObject({ name: 'Deleted user' });
    // The others keep talking; the set with the deleted person cannot be opened anew.
    const sc = await openRoom(chat.id, c!.token);
    await say(sc, 'still here');
    await expectError(
      await post('/dms/group', b!.token, { userIds: [a!.id, c!.id] }),
      404,
      'user_not_found',
    );
    sb.close();
    sc.close();
  });
});
