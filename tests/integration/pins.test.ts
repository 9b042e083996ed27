/**
 * Pinned messages: a pin or unpin is a notice in the room's one order (replayed on resume),
 * made by a room's owner and moderators or either member of a DM, never twice, never of a
 * deleted message, at most LIMITS.pinsPerChat at a time; the pinned list and history read
 * D1's copy, readable exactly as history is.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/shared/limits';
import {
  api,
  call,
  createRoom,
  drain,
  embeddedRoom,
  expectError,
  guest,
  history,
  moderatedRoom,
  noticeOf,
  openRoom,
  say,
  type TestSocket,
  visitorOf,
} from '../helpers';
import type { Frame } from '../socket-client';

interface Pin {
  message: { seq: number; text: string; pinned?: boolean; author: { id: string } };
  pinnedBy: string;
  pinnedAt: number;
}

async function pinsOf(roomId: string, token: string): Promise<Pin[]> {
  const res = await api(`/rooms/${encodeURIComponent(roomId)}/pins`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { pins: Pin[] }).pins;
}

const pin = (s: TestSocket, target: number, on = true) => s.send({ type: 'pin', target, on });
const pinNotice = (f: Frame) => noticeOf('pinned')(f) || noticeOf('unpinned')(f);
const errorFor = (s: TestSocket, ref: number) =>
  s.q.take((f) => f.type === 'error' && f.ref === ref, 5000, `error for ${ref}`);

/** A moderated room (helpers.ts) and a message of member b's to pin. */
async function roomWithRules() {
  const room = await moderatedRoom();
  const { seq } = await say(room.sb, 'the rules: be kind');
  return { ...room, target: seq as number };
}

describe('pins', () => {
  it('lets a moderator pin and the owner unpin, each once, as notices everyone sees in one order', async () => {
    const { a, m, b, room, sa, sm, sb, target } = await roomWithRules();
    // A member may not: an error, and no notice.
    pin(sb, target);
    expect(await errorFor(sb, target)).toMatchObject({ code: 'forbidden' });

    pin(sm, target);
    pin(sm, target); // a repeat makes no event
    for (const s of [sa, sm, sb]) {
      const f = await s.q.take(pinNotice);
      expect(f.notice).toMatchObject({ kind: 'pinned', target, actor: { id: m.id } });
    }
    await drain(room.id);
    const [listed] = await pinsOf(room.id, b.token);
    expect(listed).toMatchObject({ message: { seq: target, pinned: true }, pinnedBy: m.id });
    expect((await history(room.id, b.token)).messages.find((x) => x.seq === target)).toMatchObject({
      pinned: true,
    });

    pin(sa, target, false);
    const unpinned = await sb.q.take(pinNotice);
    expect(unpinned.notice).toMatchObject({ kind: 'unpinned', target, actor: { id: a.id } });
    // The repeat above made nothing: the notices are exactly these two, a seq apart.
    expect(unpinned.seq).toBe(target + 2);
    await drain(room.id);
    expect(await pinsOf(room.id, b.token)).toEqual([]);
    const after = (await history(room.id, b.token)).messages.find((x) => x.seq === target);
    expect(after).not.toHaveProperty('pinned');
  });

  it('replays a pin to a socket that resumes from before it', async () => {
    const { room, sm, b, target } = await roomWithRules();
    pin(sm, target);
    await sm.q.take(pinNotice);
    const resumed = await openRoom(room.id, b.token, target);
    expect((await resumed.q.take(pinNotice)).notice).toMatchObject({ kind: 'pinned', target });
  });

  it('unpins a message when it is deleted, and refuses to pin a deleted one', async () => {
    const { room, sm, sb, b, target } = await roomWithRules();
    pin(sm, target);
    await sb.q.take(pinNotice);
    sb.send({ type: 'delete', target });
    await sm.q.take((f) => f.type === 'delete' && f.target === target);
    pin(sm, target);
    expect(await errorFor(sm, target)).toMatchObject({ code: 'message_not_found' });
    await drain(room.id);
    expect(await pinsOf(room.id, b.token)).toEqual([]);
  });

  it('lets either member of a DM pin, and nobody else read its pins', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const res = await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
    const dm = ((await res.json()) as { chat: { id: string } }).chat.id;
    const [sa, sb] = [await openRoom(dm, a.token), await openRoom(dm, b.token)];
    const { seq } = await say(sa, 'our address');
    pin(sb, seq as number);
    expect((await sa.q.take(pinNotice)).notice).toMatchObject({
      kind: 'pinned',
      actor: { id: b.id },
    });
    await drain(dm);
    expect((await pinsOf(dm, a.token)).map((p) => p.message.text)).toEqual(['our address']);
    await expectError(
      await api(`/rooms/${encodeURIComponent(dm)}/pins`, { token: c.token }),
      403,
      'forbidden',
    );
  });

  it('reads a public room’s pins for anyone signed in, a private room’s for members only', async () => {
    const [a, outsider] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    const { seq } = await say(s, 'welcome');
    pin(s, seq as number);
    await s.q.take(pinNotice);
    await drain(room.id);
    expect((await pinsOf(room.id, outsider.token)).map((p) => p.message.seq)).toEqual([seq]);
    expect(
      (await call('PUT', `/rooms/${room.id}/privacy`, a.token, { private: true })).status,
    ).toBe(200);
    await expectError(
      await api(`/rooms/${room.id}/pins`, { token: outsider.token }),
      404,
      'room_not_found',
    );
  });

  it(`refuses a pin past ${LIMITS.pinsPerChat} until one is unpinned`, async () => {
    const { room, sa, target } = await roomWithRules();
    const { seq: other } = await say(sa, 'another');
    // The room's own record of pins, filled to the limit with older seqs.
    const stub = env.ROOM.get(env.ROOM.idFromName(room.id));
    await runInDurableObject(stub, (_, state) => {
      for (let i = 1; i <= LIMITS.pinsPerChat; i += 1)
        state.storage.sql.exec('INSERT INTO pins (seq, at) VALUES (?, ?)', 10_000 + i, i);
    });
    pin(sa, target);
    expect(await errorFor(sa, target)).toMatchObject({ code: 'quota_exceeded' });
    await runInDurableObject(stub, (_, state) => {
      state.storage.sql.exec('DELETE FROM pins WHERE seq = 10001');
    });
    pin(sa, other as number);
    expect((await sa.q.take(pinNotice)).notice).toMatchObject({ kind: 'pinned', target: other });
  });
});

describe('a widget session’s pinned list', () => {
  it('is its own room’s, and no other room’s', async () => {
    const { owner, room } = await embeddedRoom();
    const other = await embeddedRoom();
    const visitor = await visitorOf(room.id);
    const s = await openRoom(room.id, owner.token);
    const { seq } = await say(s, 'Opening hours: 9 to 6');
    pin(s, seq as number);
    await s.q.take(noticeOf('pinned'));
    s.close();
    await drain(room.id);
    expect((await pinsOf(room.id, visitor.token)).map((p) => p.message.text)).toEqual([
      'Opening hours: 9 to 6',
    ]);
    await expectError(
      await api(`/rooms/${other.room.id}/pins`, { token: visitor.token }),
      403,
      'forbidden',
    );
  });
});
