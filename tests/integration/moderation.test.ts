/**
 * Room roles and moderation (issue 12): what the owner, a moderator and a member may each
 * do, enforced on HTTP and in the room's object; removal, bans and slow mode as members
 * live them; every action a notice in the room's one order, replayed on resume.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  api,
  call,
  clientId,
  connect,
  expectRefusedSocket,
  createRoom,
  drain,
  expectError,
  guest,
  history,
  join,
  moderatedRoom,
  noticeOf,
  openRoom,
  say,
  type TestSocket,
} from '../helpers';
import { hubShardOf } from '../../src/durable/hub-shards';
import {
  ROOM_INFO_HEADER,
  ROOM_STATE_HEADER,
  SESSION_HEADER,
  USER_HEADER,
} from '../../src/durable/room-info';
import { byType, eventually, type Frame } from '../socket-client';

async function errorFor(s: TestSocket, ref: string | number) {
  return s.q.take((f) => f.type === 'error' && f.ref === ref, 5000, `error for ${ref}`);
}

/**
 * An upgrade forwarded to the room's object as the Worker forwards one (src/worker/sockets.ts),
 * carrying `state` as the Worker's word read from D1: a stale word, or one the room lacks.
 */
async function staleUpgrade(
  roomId: string,
  user: { id: string; name: string },
  state: Record<string, unknown>,
) {
  const stub = env.ROOM.get(env.ROOM.idFromName(roomId));
  const res = await stub.fetch(
    new Request(`https://parlor.test/api/rooms/${roomId}/ws`, {
      headers: {
        upgrade: 'websocket',
        [ROOM_INFO_HEADER]: JSON.stringify({ id: roomId, kind: 'public' }),
        [USER_HEADER]: JSON.stringify({
          id: user.id,
          name: user.name,
          color: '#4f63d6',
          guest: true,
        }),
        [SESSION_HEADER]: 'stale-upgrade',
        [ROOM_STATE_HEADER]: JSON.stringify(state),
      },
    }),
  );
  const ws = res.webSocket!;
  ws.accept();
  return ws;
}

describe('roles', () => {
  it('refuses a member every moderation action: delete another’s message, rename, ban, slow mode, audit, invites', async () => {
    const { a, m, b, room, sa, sb } = await moderatedRoom();
    const { seq } = await say(sa, 'the owner speaks');
    sb.send({ type: 'delete', target: seq });
    expect(await errorFor(sb, seq as number)).toMatchObject({ code: 'not_author' });
    const base = `/rooms/${room.id}`;
    for (const [method, path, body] of [
      ['PATCH', base, { name: 'Taken over' }],
      ['PUT', `${base}/bans/${a.id}`, {}],
      ['PUT', `${base}/bans/${m.id}`, {}],
      ['DELETE', `${base}/members/${m.id}`, undefined],
      ['PUT', `${base}/slow-mode`, { seconds: 30 }],
      ['GET', `${base}/audit`, undefined],
      ['GET', `${base}/bans`, undefined],
      ['GET', `${base}/invites`, undefined],
      ['POST', `${base}/invites`, { expiresInSeconds: 3600, maxUses: 5 }],
      ['PUT', `${base}/moderators/${b.id}`, {}],
      ['PUT', `${base}/archive`, { archived: true }],
      ['POST', `${base}/owner`, { userId: b.id }],
      ['DELETE', base, undefined],
    ] as const) {
      const res = await call(method, path, b.token, body);
      await expectError(res, 403, 'forbidden');
    }
    // Nothing changed: the room keeps its name and the message its text.
    const admin = await (await call('GET', `${base}/admin`, b.token)).json();
    expect(admin).toMatchObject({ room: { name: room.name, role: 'member', slowModeSeconds: 0 } });
    await drain(room.id);
    expect((await history(room.id, b.token)).messages.at(-1)).toMatchObject({ deleted: false });
  });

  it('lets a moderator remove a member’s message: everyone sees a removal, history’s tombstone says so, the audit lists it', async () => {
    const { a, m, room, sa, sm, sb } = await moderatedRoom();
    const { seq } = await say(sb, 'spam spam spam');
    sm.send({ type: 'delete', target: seq });
    for (const s of [sa, sm, sb]) {
      expect(await s.q.take(byType('delete'))).toMatchObject({ target: seq, removed: true });
    }
    await drain(room.id);
    const page = await history(room.id, a.token);
    expect(page.messages.find((x) => x.seq === seq)).toMatchObject({
      deleted: true,
      removed: true,
      text: '',
    });
    const res = await call('GET', `/rooms/${room.id}/audit`, a.token);
    const { entries } = (await res.json()) as { entries: { notice: Record<string, unknown> }[] };
    expect(entries[0]!.notice).toMatchObject({
      kind: 'message_removed',
      target: seq,
      actor: { id: m.id },
    });
    // A moderator's audit list is the same; an author's own delete is not a removal.
    expect((await call('GET', `/rooms/${room.id}/audit`, m.token)).status).toBe(200);
    const own = await say(sa, 'mine');
    sa.send({ type: 'delete', target: own.seq });
    const deleted = await sa.q.take((f) => f.type === 'delete' && f.target === own.seq);
    expect(deleted.removed).toBeUndefined();
  });

  it('refuses a moderator the owner’s powers and acting on the owner or another moderator', async () => {
    const { a, m, b, room, sa, sm } = await moderatedRoom();
    const m2 = await guest();
    await join(room.id, m2.token);
    await call('PUT', `/rooms/${room.id}/moderators/${m2.id}`, a.token);
    const base = `/rooms/${room.id}`;
    for (const [method, path, body] of [
      ['POST', `${base}/owner`, { userId: m.id }],
      ['POST', `${base}/owner`, { userId: b.id }],
      ['PATCH', base, { topic: 'mine now' }],
      ['PUT', `${base}/archive`, { archived: true }],
      ['DELETE', base, undefined],
      ['PUT', `${base}/moderators/${b.id}`, {}],
      ['PUT', `${base}/bans/${a.id}`, {}],
      ['DELETE', `${base}/members/${a.id}`, undefined],
      ['PUT', `${base}/bans/${m2.id}`, {}],
      ['DELETE', `${base}/members/${m2.id}`, undefined],
    ] as const) {
      await expectError(await call(method, path, m.token, body), 403, 'forbidden');
    }
    // Nor remove the owner's or another moderator's message; the owner removes anyone's.
    const sm2 = await openRoom(room.id, m2.token);
    const fromOwner = (await say(sa, 'the owner speaks')).seq as number;
    const fromModerator = (await say(sm2, 'a moderator speaks')).seq as number;
    for (const target of [fromOwner, fromModerator]) {
      sm.send({ type: 'delete', target });
      expect(await errorFor(sm, target)).toMatchObject({ code: 'forbidden' });
    }
    sa.send({ type: 'delete', target: fromModerator });
    expect(await sm2.q.take(byType('delete'))).toMatchObject({
      target: fromModerator,
      removed: true,
    });
    // What a moderator may do.
    expect((await call('PUT', `${base}/slow-mode`, m.token, { seconds: 5 })).status).toBe(200);
    expect((await call('DELETE', `${base}/members/${b.id}`, m.token)).status).toBe(200);
  });

  it('lets a moderator step down, and nobody else but the owner demote anyone', async () => {
    const { a, m, b, room, sb } = await moderatedRoom();
    const base = `/rooms/${room.id}`;
    await expectError(
      await call('DELETE', `${base}/moderators/${a.id}`, m.token),
      403,
      'forbidden',
    );
    await expectError(
      await call('DELETE', `${base}/moderators/${m.id}`, b.token),
      403,
      'forbidden',
    );
    await expectError(await call('PUT', `${base}/moderators/${m.id}`, m.token), 403, 'forbidden');
    expect((await call('DELETE', `${base}/moderators/${m.id}`, m.token)).status).toBe(200);
    expect(await sb.q.take(noticeOf('moderator_removed'))).toMatchObject({
      notice: { actor: { id: m.id }, subject: { id: m.id } },
    });
    // A member now: no moderation left, and no way back but the owner.
    await expectError(
      await call('PUT', `${base}/slow-mode`, m.token, { seconds: 5 }),
      403,
      'forbidden',
    );
    await expectError(await call('PUT', `${base}/moderators/${m.id}`, m.token), 403, 'forbidden');
    await expectError(
      await call('DELETE', `${base}/moderators/${m.id}`, m.token),
      403,
      'forbidden',
    );
  });

  it('transfers ownership: the new owner has the owner’s powers, the old one is a moderator', async () => {
    const { a, m, b, room, sb } = await moderatedRoom();
    const res = await call('POST', `/rooms/${room.id}/owner`, a.token, { userId: b.id });
    expect(res.status).toBe(200);
    expect(await sb.q.take(noticeOf('owner_changed'))).toMatchObject({
      notice: { actor: { id: a.id }, subject: { id: b.id } },
    });
    await expectError(
      await call('PATCH', `/rooms/${room.id}`, a.token, { name: 'Old owner' }),
      403,
      'forbidden',
    );
    const renamed = await call('PATCH', `/rooms/${room.id}`, b.token, {
      topic: 'New topic',
      description: 'Now with a description',
    });
    expect(renamed.status).toBe(200);
    expect(await sb.q.take(noticeOf('settings'))).toMatchObject({
      notice: { topic: 'New topic', description: 'Now with a description', name: room.name },
    });
    const admin = (await (await call('GET', `/rooms/${room.id}/admin`, a.token)).json()) as {
      room: { owner: { id: string }; moderators: { id: string }[]; role: string };
    };
    expect(admin.room.owner.id).toBe(b.id);
    expect(admin.room.role).toBe('moderator');
    expect(admin.room.moderators.map((u) => u.id).sort()).toEqual([a.id, m.id].sort());
    // Only to a member, and the owner may not leave without handing over.
    const outsider = await guest();
    await expectError(
      await call('POST', `/rooms/${room.id}/owner`, b.token, { userId: outsider.id }),
      404,
      'not_a_member',
    );
    await expectError(await call('POST', `/rooms/${room.id}/leave`, b.token), 403, 'forbidden');
  });

  it('renames only to a free name, and refuses bad settings with the one error shape', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const other = await createRoom(a.token);
    await expectError(
      await call('PATCH', `/rooms/${room.id}`, a.token, { name: other.name.toUpperCase() }),
      409,
      'room_name_taken',
    );
    await expectError(
      await call('PATCH', `/rooms/${room.id}`, a.token, {}),
      400,
      'validation_failed',
    );
    await expectError(
      await call('PATCH', `/rooms/${room.id}`, a.token, { description: 'x'.repeat(1001) }),
      400,
      'validation_failed',
    );
    // What everyone who opens or browses the room reads: no reordering, invisible or smearing
    // characters, in the topic (one line) or the description (line breaks allowed).
    for (const [field, text, message] of [
      [
        'topic',
        'Plans \u202Esdrawkcab',
        'Topic contains an invisible, filler or control character (U+202E)',
      ],
      ['topic', 'Two\nlines', 'Topic contains an invisible, filler or control character (U+000A)'],
      [
        'topic',
        'ad\u200Bmin notes',
        'Topic contains an invisible, filler or control character (U+200B)',
      ],
      ['description', `q${'\u0301'.repeat(12)}algo`, 'Description stacks too many combining marks'],
      [
        'description',
        'Bell\u0007',
        'Description contains an invisible, filler or control character (U+0007)',
      ],
    ] as const) {
      const error = await expectError(
        await call('PATCH', `/rooms/${room.id}`, a.token, { [field]: text }),
        400,
        'validation_failed',
      );
      expect({ field: error.field, message: error.message }).toEqual({ field, message });
    }
    const created = await call('POST', '/rooms', a.token, {
      name: `Hidden ${crypto.randomUUID().slice(0, 6)}`,
      topic: '\u2066isolated\u2069',
    });
    expect((await expectError(created, 400, 'validation_failed')).field).toBe('topic');
    // Line breaks (from any platform), right-to-left text and emoji sequences are fine.
    const fine = 'שלום 👨‍👩‍👧 and e\u0301\r\nSecond line';
    expect(
      (await call('PATCH', `/rooms/${room.id}`, a.token, { topic: 'שלום 🇫🇷', description: fine }))
        .status,
    ).toBe(200);
    const admin = (await (await call('GET', `/rooms/${room.id}/admin`, a.token)).json()) as {
      room: { topic: string; description: string };
    };
    expect(admin.room).toMatchObject({
      topic: 'שלום 🇫🇷',
      description: 'שלום 👨‍👩‍👧 and \u00e9\nSecond line',
    });
    await expectError(
      await call('PUT', `/rooms/${room.id}/slow-mode`, a.token, { seconds: -1 }),
      400,
      'validation_failed',
    );
    expect(
      (
        await call('PATCH', `/rooms/${room.id}`, a.token, {
          name: 'Fresh name ' + a.id.slice(0, 6),
        })
      ).status,
    ).toBe(200);
  });

  it('shows a description to members in their chat list, to everyone in the room browser and the room’s page, until it is cleared', async () => {
    const a = await guest();
    const b = await guest();
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    const description = 'Weekly plans.\nBring your own agenda.';
    expect((await call('PATCH', `/rooms/${room.id}`, a.token, { description })).status).toBe(200);
    const seen = async (token: string) => {
      const chat = (await (await call('GET', `/chats/${room.id}`, token)).json()) as {
        chat: { description?: string };
      };
      const browse = (await (
        await call('GET', `/rooms?q=${encodeURIComponent(room.name)}`, token)
      ).json()) as { rooms: { id: string; description?: string }[] };
      const page = (await (await call('GET', `/rooms/${room.id}`, token)).json()) as {
        room: { description?: string };
      };
      return [
        chat.chat.description,
        browse.rooms.find((r) => r.id === room.id)?.description,
        page.room.description,
      ];
    };
    expect(await seen(b.token)).toEqual([description, description, description]);
    const outsider = await guest();
    expect(
      (
        (await (
          await call('GET', `/rooms?q=${encodeURIComponent(room.name)}`, outsider.token)
        ).json()) as { rooms: { description?: string }[] }
      ).rooms.map((r) => r.description),
    ).toEqual([description]);

    expect((await call('PATCH', `/rooms/${room.id}`, a.token, { description: '' })).status).toBe(
      200,
    );
    expect(await seen(b.token)).toEqual([undefined, undefined, undefined]);
  });

  it('gives the global room no owner: nobody renames, archives or deletes it', async () => {
    const a = await guest();
    for (const [method, path, body] of [
      ['PATCH', '/rooms/global', { name: 'Mine' }],
      ['PUT', '/rooms/global/archive', { archived: true }],
      ['DELETE', '/rooms/global', undefined],
      ['PUT', '/rooms/global/slow-mode', { seconds: 10 }],
    ] as const) {
      await expectError(await call(method, path, a.token, body), 403, 'forbidden');
    }
    const admin = await (await call('GET', '/rooms/global/admin', a.token)).json();
    expect(admin).toMatchObject({ room: { owner: null, role: 'member', private: false } });
  });
});

describe('removal and bans', () => {
  it('closes a removed member’s socket, refuses them a new one, and tells the room', async () => {
    const { a, b, room, sa, sb } = await moderatedRoom();
    expect((await call('DELETE', `/rooms/${room.id}/members/${b.id}`, a.token)).status).toBe(200);
    expect(await sb.q.closedWith()).toMatchObject({ code: 1000 });
    expect(await sa.q.take(noticeOf('removed'))).toMatchObject({
      notice: { actor: { id: a.id }, subject: { id: b.id } },
    });
    await expectRefusedSocket(`/rooms/${room.id}/ws`, b.token, 'not_a_member');
    // Removed is not banned: they may join a public room again.
    await join(room.id, b.token);
  });

  it('bans: the socket closes, and the banned user cannot rejoin, connect, read or use an invite; unban lifts it', async () => {
    const { a, m, b, room, sa, sb } = await moderatedRoom();
    const invite = await call('POST', `/rooms/${room.id}/invites`, a.token, {
      expiresInSeconds: 3600,
      maxUses: 10,
    });
    const { token } = ((await invite.json()) as { invite: { token: string } }).invite;
    expect((await call('PUT', `/rooms/${room.id}/bans/${b.id}`, m.token)).status).toBe(200);
    expect(await sb.q.closedWith()).toMatchObject({ code: 1000 });
    expect(await sa.q.take(noticeOf('banned'))).toMatchObject({
      notice: { subject: { id: b.id } },
    });

    await expectError(await call('POST', `/rooms/${room.id}/join`, b.token), 403, 'banned');
    await expectRefusedSocket(`/rooms/${room.id}/ws`, b.token, 'banned');
    await expectError(await call('GET', `/rooms/${room.id}`, b.token), 403, 'banned');
    await expectError(
      await call('GET', `/rooms/${room.id}/messages`, b.token),
      404,
      'room_not_found',
    );
    await expectError(await call('POST', `/invites/${token}`, b.token), 403, 'banned');

    const bans = await (await call('GET', `/rooms/${room.id}/bans`, a.token)).json();
    expect(bans).toMatchObject({ bans: [{ user: { id: b.id }, by: { id: m.id } }] });
    expect((await call('DELETE', `/rooms/${room.id}/bans/${b.id}`, m.token)).status).toBe(200);
    expect(await sa.q.take(noticeOf('unbanned'))).toMatchObject({
      notice: { subject: { id: b.id } },
    });
    await join(room.id, b.token);
    await openRoom(room.id, b.token);
  });

  it('stops a removed member’s chat-list notices', async () => {
    const { a, b, room, sa } = await moderatedRoom();
    const lobbyB = await connect('/lobby/ws', b.token);
    await lobbyB.socket!.q.take(byType('hello'));
    await say(sa, 'before');
    await lobbyB.socket!.q.take((f) => f.type === 'activity' && f.roomId === room.id);
    await call('DELETE', `/rooms/${room.id}/members/${b.id}`, a.token);
    // A member on b's hub shard gets the next notice: the shard pushes it to every interested
    // tab in one step, so once c has it, b would have it too.
    let c = await guest();
    while (hubShardOf(c.id, Number(env.HUB_SHARDS)) !== hubShardOf(b.id, Number(env.HUB_SHARDS)))
      c = await guest();
    await join(room.id, c.token);
    const lobbyC = await connect('/lobby/ws', c.token);
    await lobbyC.socket!.q.take(byType('hello'));
    await say(sa, 'after');
    await lobbyC.socket!.q.take((f) => f.type === 'activity' && f.roomId === room.id);
    // Then a global-room notice, which every tab gets: b's lobby delivers in order, so once
    // it has this one, the room's notice would have come before it.
    const marker = `marker ${crypto.randomUUID()}`;
    await say(await openRoom('global', a.token), marker);
    await lobbyB.socket!.q.take(
      (f) =>
        f.type === 'activity' &&
        f.roomId === 'global' &&
        (f.last as { text: string }).text === marker,
    );
    const late = lobbyB.socket!.q.frames.filter(
      (f) =>
        f.type === 'activity' &&
        f.roomId === room.id &&
        (f.last as { text: string }).text === 'after',
    );
    expect(late).toEqual([]);
  });
});

describe('slow mode and archive', () => {
  it('refuses a second message inside the interval with retry-after; moderators are exempt', async () => {
    const { a, m, room, sa, sm, sb } = await moderatedRoom();
    expect(
      (await call('PUT', `/rooms/${room.id}/slow-mode`, m.token, { seconds: 60 })).status,
    ).toBe(200);
    await sb.q.take(noticeOf('slow_mode'));
    await say(sb, 'first');
    const id = clientId();
    sb.send({ type: 'send', clientId: id, text: 'second' });
    const refused = await errorFor(sb, id);
    expect(refused.code).toBe('rate_limited');
    expect(refused.retryAfterMs).toBeGreaterThan(50_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    // A retry of the stored message still gets its ack (no new message).
    // Owner and moderators: as many as the normal rate allows.
    await say(sa, 'owner 1');
    await say(sa, 'owner 2');
    await say(sm, 'mod 1');
    await say(sm, 'mod 2');
    // Off again: the member may send at once.
    await call('PUT', `/rooms/${room.id}/slow-mode`, a.token, { seconds: 0 });
    await say(sb, 'free again');
  });

  it('keeps an archive made while an upgrade was on its way: the upgrade’s older word does not undo it', async () => {
    const { a, b, room, sa, sb } = await moderatedRoom();
    expect(
      (await call('PUT', `/rooms/${room.id}/archive`, a.token, { archived: true })).status,
    ).toBe(200);
    await sa.q.take(noticeOf('archived'));
    // An upgrade the Worker checked against D1 before the archive, reaching the room after it.
    const stale = await staleUpgrade(room.id, b, {
      archived: false,
      private: false,
      slowModeSeconds: 0,
      roles: [{ userId: b.id, role: 'member' }],
    });
    const id = clientId();
    sb.send({ type: 'send', clientId: id, text: 'still archived?' });
    expect(await errorFor(sb, id)).toMatchObject({ code: 'room_archived' });
    stale.close();
  });

  it('reads D1 again, in the room’s order, when an upgrade says something the room does not know', async () => {
    const { b, room, sb } = await moderatedRoom();
    await say(sb, 'before');
    // D1 changed without the room hearing of it (as for a room older than its own copy).
    await env.DB.prepare('UPDATE rooms SET slow_mode_seconds = 600 WHERE id = ?1')
      .bind(room.id)
      .run();
    const told = await staleUpgrade(room.id, b, {
      archived: false,
      private: false,
      slowModeSeconds: 600,
      roles: [{ userId: b.id, role: 'member' }],
    });
    await eventually(async () => {
      const id = clientId();
      sb.send({ type: 'send', clientId: id, text: 'under slow mode?' });
      const answer = await sb.q.take(
        (f) => (f.type === 'ack' && f.clientId === id) || (f.type === 'error' && f.ref === id),
      );
      const slow = answer.type === 'error' && String(answer.message).startsWith('Slow mode');
      return slow ? true : undefined;
    });
    told.close();
  });

  it('holds slow mode against one message each from parallel sockets of one member', async () => {
    const { m, b, room } = await moderatedRoom();
    expect(
      (await call('PUT', `/rooms/${room.id}/slow-mode`, m.token, { seconds: 3600 })).status,
    ).toBe(200);
    // b's first send here waits for their cross-chat tokens: all five wait there together.
    const sockets = await Promise.all(Array.from({ length: 5 }, () => openRoom(room.id, b.token)));
    const ids = sockets.map(() => clientId());
    sockets.forEach((s, i) => s.send({ type: 'send', clientId: ids[i]!, text: `try ${i}` }));
    const answers = await Promise.all(
      sockets.map((s, i) =>
        s.q.take(
          (f) =>
            (f.type === 'ack' && f.clientId === ids[i]) || (f.type === 'error' && f.ref === ids[i]),
        ),
      ),
    );
    expect(answers.filter((f) => f.type === 'ack')).toHaveLength(1);
    for (const refused of answers.filter((f) => f.type === 'error'))
      expect(refused).toMatchObject({ code: 'rate_limited' });
    await drain(room.id);
    const stored = await history(room.id, b.token);
    expect(stored.messages.filter((x) => x.text.startsWith('try '))).toHaveLength(1);
  });

  it('keeps D1, the room and every client on the last of many archive and slow-mode changes sent at once', async () => {
    const { a, room, sa, sb } = await moderatedRoom();
    const flips = Array.from({ length: 24 }, (_, i) => i % 3 !== 0);
    const answers = await Promise.all(
      flips.map((archived) =>
        call('PUT', `/rooms/${room.id}/archive`, a.token, { archived }).then((r) => r.json()),
      ),
    );
    const seqs = answers.map((b) => (b as { seq: number | null }).seq).filter((q) => q !== null);
    const last = await sb.q.take(
      (f) => f.type === 'notice' && f.seq === Math.max(...(seqs as number[])),
    );
    const archived = (last.notice as { kind: string }).kind === 'archived';
    // D1 says what the last notice said…
    const detail = (await (await call('GET', `/rooms/${room.id}`, a.token)).json()) as {
      room: { archived?: boolean };
    };
    expect(detail.room.archived ?? false).toBe(archived);
    // …and so does the room itself, which refuses sends only while archived.
    const id = clientId();
    sb.send({ type: 'send', clientId: id, text: 'still open?' });
    if (archived) expect(await errorFor(sb, id)).toMatchObject({ code: 'room_archived' });
    else await sb.q.take((f) => f.type === 'ack' && f.clientId === id);
    // Each change that took effect alternated: no two notices in a row say the same.
    await drain(room.id);
    const kinds = sa.q.frames
      .filter((f) => f.type === 'notice' && /archived$/.test((f.notice as { kind: string }).kind))
      .map((f) => (f.notice as { kind: string }).kind);
    expect(kinds.length).toBe(seqs.length);
    expect(kinds.every((k, i) => i === 0 || k !== kinds[i - 1])).toBe(true);
  });

  it('keeps D1, the room and every client on the last of many moderator and ban changes sent at once', async () => {
    const { a, b, room, sa, sb } = await moderatedRoom();
    sb.close();
    // b's notices of one kind family, in the order every socket saw them.
    const kindsOf = (pattern: RegExp) =>
      sa.q.frames
        .map((f) =>
          f.type === 'notice' ? (f.notice as { kind: string; subject?: { id: string } }) : null,
        )
        .filter((n) => n !== null && n.subject?.id === b.id && pattern.test(n.kind))
        .map((n) => n!.kind);
    const seqOf = async (r: Response) => ((await r.json()) as { seq: number | null }).seq;

    // Moderator on and off for b, all at once.
    const flips = Array.from({ length: 16 }, (_, i) => i % 3 !== 0);
    const seqs = await Promise.all(
      flips.map((on) =>
        call(on ? 'PUT' : 'DELETE', `/rooms/${room.id}/moderators/${b.id}`, a.token).then(seqOf),
      ),
    );
    await drain(room.id);
    const roles = kindsOf(/^moderator_/);
    expect(roles.length).toBe(seqs.filter((q) => q !== null).length);
    expect(roles.every((k, i) => i === 0 || k !== roles[i - 1])).toBe(true);
    const admin = (await (await call('GET', `/rooms/${room.id}/admin`, a.token)).json()) as {
      room: { moderators: { id: string }[] };
    };
    const isModerator = admin.room.moderators.some((u) => u.id === b.id);
    // D1 agrees with the last notice…
    expect(isModerator).toBe(roles.at(-1) === 'moderator_added');
    // …and so does the room's own copy: only a moderator skips slow mode.
    expect(
      (await call('PUT', `/rooms/${room.id}/slow-mode`, a.token, { seconds: 60 })).status,
    ).toBe(200);
    const s2 = await openRoom(room.id, b.token);
    const [first, second] = [clientId(), clientId()];
    s2.send({ type: 'send', clientId: first, text: 'one' });
    await s2.q.take((f) => f.type === 'ack' && f.clientId === first);
    s2.send({ type: 'send', clientId: second, text: 'two' });
    if (isModerator) await s2.q.take((f) => f.type === 'ack' && f.clientId === second);
    else expect(await errorFor(s2, second)).toMatchObject({ code: 'rate_limited' });
    s2.close();

    // Ban and unban b, all at once: D1's ban list agrees with the last notice.
    const bans = Array.from({ length: 12 }, (_, i) => i % 2 === 0);
    const banSeqs = await Promise.all(
      bans.map((ban) =>
        call(ban ? 'PUT' : 'DELETE', `/rooms/${room.id}/bans/${b.id}`, a.token).then(seqOf),
      ),
    );
    await drain(room.id);
    const banKinds = kindsOf(/banned$/);
    expect(banKinds.length).toBe(banSeqs.filter((q) => q !== null).length);
    expect(banKinds.every((k, i) => i === 0 || k !== banKinds[i - 1])).toBe(true);
    const list = (await (await call('GET', `/rooms/${room.id}/bans`, a.token)).json()) as {
      bans: { user: { id: string } }[];
    };
    expect(list.bans.some((x) => x.user.id === b.id)).toBe(banKinds.at(-1) === 'banned');
  });

  it('forgets a moderator’s role when they leave: back in the room, slow mode holds them like any member', async () => {
    const { a, m, room, sm } = await moderatedRoom();
    sm.close();
    const post = (what: string) =>
      api(`/rooms/${room.id}/${what}`, { method: 'POST', json: {}, token: m.token });
    expect((await post('leave')).status).toBe(200);
    expect((await post('join')).status).toBe(200);
    expect(
      (await call('PUT', `/rooms/${room.id}/slow-mode`, a.token, { seconds: 60 })).status,
    ).toBe(200);
    const s = await openRoom(room.id, m.token);
    const [first, second] = [clientId(), clientId()];
    s.send({ type: 'send', clientId: first, text: 'one' });
    await s.q.take((f) => f.type === 'ack' && f.clientId === first);
    s.send({ type: 'send', clientId: second, text: 'two' });
    expect(await errorFor(s, second)).toMatchObject({ code: 'rate_limited' });
    s.close();
  });

  it('makes an archived room read-only: sends, edits and reactions refused with room_archived; unarchive reopens', async () => {
    const { a, room, sa, sb } = await moderatedRoom();
    const { seq } = await say(sb, 'last words');
    expect(
      (await call('PUT', `/rooms/${room.id}/archive`, a.token, { archived: true })).status,
    ).toBe(200);
    await sb.q.take(noticeOf('archived'));
    const id = clientId();
    sb.send({ type: 'send', clientId: id, text: 'hello?' });
    expect(await errorFor(sb, id)).toMatchObject({ code: 'room_archived' });
    sb.send({ type: 'edit', target: seq, text: 'changed' });
    expect(await errorFor(sb, seq as number)).toMatchObject({ code: 'room_archived' });
    sa.send({ type: 'react', target: seq, emoji: '👍', on: true });
    expect(await errorFor(sa, seq as number)).toMatchObject({ code: 'room_archived' });
    const listed = await (
      await call('GET', `/rooms?q=${encodeURIComponent(room.name)}`, (await guest()).token)
    ).json();
    expect(listed).toMatchObject({ rooms: [{ id: room.id, archived: true }] });
    await call('PUT', `/rooms/${room.id}/archive`, a.token, { archived: false });
    await say(sb, 'back');
  });

  it('freezes an archived room’s name, topic, description and slow mode until it is reopened; who may read it can still change', async () => {
    const { a, m, b, room, sa } = await moderatedRoom();
    await call('PUT', `/rooms/${room.id}/archive`, a.token, { archived: true });
    await sa.q.take(noticeOf('archived'));
    const refused = async (r: Response) => {
      expect(r.status).toBe(409);
      expect(await r.json()).toMatchObject({ error: { code: 'room_archived' } });
    };
    await refused(await call('PATCH', `/rooms/${room.id}`, a.token, { name: `${room.name}-x` }));
    await refused(await call('PATCH', `/rooms/${room.id}`, a.token, { topic: 'New topic' }));
    await refused(await call('PUT', `/rooms/${room.id}/slow-mode`, m.token, { seconds: 30 }));
    const detail = (await (await call('GET', `/rooms/${room.id}/admin`, a.token)).json()) as {
      room: { name: string; topic: string | null; slowModeSeconds: number };
    };
    expect(detail.room).toMatchObject({ name: room.name, topic: null, slowModeSeconds: 0 });
    // Moderation of who reads it still works.
    expect((await call('PUT', `/rooms/${room.id}/bans/${b.id}`, m.token)).status).toBe(200);
    await sa.q.take(noticeOf('banned'));
    // Reopened, the settings change again.
    await call('PUT', `/rooms/${room.id}/archive`, a.token, { archived: false });
    expect((await call('PATCH', `/rooms/${room.id}`, a.token, { topic: 'Back' })).status).toBe(200);
    expect((await call('PUT', `/rooms/${room.id}/slow-mode`, m.token, { seconds: 5 })).status).toBe(
      200,
    );
  });

  it('refuses a setting that races an archive: the one that reached the room first wins, never both', async () => {
    const { a, room, sa } = await moderatedRoom();
    const [archive, topic] = await Promise.all([
      call('PUT', `/rooms/${room.id}/archive`, a.token, { archived: true }),
      call('PATCH', `/rooms/${room.id}`, a.token, { topic: 'Raced' }),
    ]);
    expect(archive.status).toBe(200);
    await drain(room.id);
    const kinds = sa.q.frames
      .filter((f) => f.type === 'notice')
      .map((f) => (f.notice as { kind: string }).kind)
      .filter((k) => k === 'archived' || k === 'settings');
    if (topic.status === 200) expect(kinds).toEqual(['settings', 'archived']);
    else {
      expect(topic.status).toBe(409);
      expect(kinds).toEqual(['archived']);
    }
  });
});

describe('notices in the room’s order', () => {
  it('replays every moderation action on resume, in the order live sockets saw them', async () => {
    const { a, m, b, room, sa, sb } = await moderatedRoom();
    const { seq: mark } = await say(sb, 'mark');
    sb.close();
    await call('PUT', `/rooms/${room.id}/slow-mode`, m.token, { seconds: 10 });
    await call('PATCH', `/rooms/${room.id}`, a.token, { topic: 'Rules apply' });
    await call('DELETE', `/rooms/${room.id}/moderators/${m.id}`, a.token);
    const live = [];
    for (const kind of ['slow_mode', 'settings', 'moderator_removed']) {
      live.push(await sa.q.take(noticeOf(kind)));
    }
    const resumed = await connect(`/rooms/${room.id}/ws?after=${mark}`, b.token);
    const s = resumed.socket!;
    await s.q.take(byType('caught_up'));
    const replayed = s.q.frames.filter(byType('notice'));
    expect(replayed.map((f) => f.seq)).toEqual(live.map((f) => f.seq));
    expect(replayed.map((f) => (f.notice as { kind: string }).kind)).toEqual([
      'slow_mode',
      'settings',
      'moderator_removed',
    ]);
    expect(replayed[1]).toMatchObject({ notice: { actor: { id: a.id }, topic: 'Rules apply' } });
  });

  it('keeps joins and leaves: history returns them after a reload, between the messages', async () => {
    const a = await guest();
    const b = await guest();
    const room = await createRoom(a.token);
    const sa = await openRoom(room.id, a.token);
    await say(sa, 'before');
    await join(room.id, b.token);
    await say(sa, 'between');
    await call('POST', `/rooms/${room.id}/leave`, b.token);
    const joined = await sa.q.take(noticeOf('joined'));
    const left = await sa.q.take(noticeOf('left'));
    await drain(room.id);
    const page = (await history(room.id, a.token)) as Awaited<ReturnType<typeof history>> & {
      notices: Frame[];
    };
    expect(page.notices.map((n) => [n.seq, (n.notice as { kind: string }).kind])).toEqual([
      [joined.seq, 'joined'],
      [left.seq, 'left'],
    ]);
    expect(page.notices[0]).toMatchObject({ notice: { subject: { id: b.id } } });
    // Each carries the room's member count right after it, live and in history alike.
    expect([joined, left].map((f) => (f.notice as { memberCount?: number }).memberCount)).toEqual([
      2, 1,
    ]);
    expect(page.notices.map((n) => (n.notice as { memberCount?: number }).memberCount)).toEqual([
      2, 1,
    ]);
    const [before, between] = page.messages;
    expect(before!.seq < (joined.seq as number) && (joined.seq as number) < between!.seq).toBe(
      true,
    );
  });

  it('gives each history page the notices between its own messages, newest page and older ones alike', async () => {
    const a = await guest();
    const b = await guest();
    const room = await createRoom(a.token);
    const sa = await openRoom(room.id, a.token);
    await say(sa, 'one');
    await join(room.id, b.token);
    await say(sa, 'two');
    await say(sa, 'three');
    await call('POST', `/rooms/${room.id}/leave`, b.token);
    await say(sa, 'four');
    const joined = await sa.q.take(noticeOf('joined'));
    const left = await sa.q.take(noticeOf('left'));
    await drain(room.id);
    type Page = Awaited<ReturnType<typeof history>> & { notices: Frame[]; nextBefore: number };
    const kinds = (page: Page) =>
      page.notices.map((n) => [n.seq, (n.notice as { kind: string }).kind]);

    const newest = (await history(room.id, a.token, '?limit=2')) as Page;
    expect(newest.messages.map((m) => m.text)).toEqual(['three', 'four']);
    expect(kinds(newest)).toEqual([[left.seq, 'left']]);
    const older = (await history(room.id, a.token, `?limit=2&before=${newest.nextBefore}`)) as Page;
    expect(older.messages.map((m) => m.text)).toEqual(['one', 'two']);
    // Not the newer page's leave again; the creator's own join (if any) and b's join.
    expect(kinds(older).filter(([seq]) => (seq as number) > older.messages[0]!.seq)).toEqual([
      [joined.seq, 'joined'],
    ]);
  });

  it('deletes a room: sockets close, every route answers 404, and the name is free again', async () => {
    const { a, b, room, sa, sb } = await moderatedRoom();
    await say(sb, 'soon gone');
    expect((await call('DELETE', `/rooms/${room.id}`, a.token)).status).toBe(200);
    for (const s of [sa, sb]) expect(await s.q.closedWith()).toMatchObject({ code: 1000 });
    await expectError(await call('GET', `/rooms/${room.id}`, b.token), 404, 'room_not_found');
    await expectError(
      await call('GET', `/rooms/${room.id}/messages`, b.token),
      404,
      'room_not_found',
    );
    await expectRefusedSocket(`/rooms/${room.id}/ws`, b.token, 'room_not_found');
    const left = await env.DB.prepare('SELECT count(*) AS n FROM messages WHERE room_id = ?')
      .bind(room.id)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
    expect(
      (await api('/rooms', { method: 'POST', json: { name: room.name }, token: a.token })).status,
    ).toBe(201);
  });
});
