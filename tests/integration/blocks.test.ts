/**
 * Blocking: while either of two people blocks the other, their pair's DM takes no new
 * message, reaction or typing from either (it stays readable), and no new pair or group DM
 * is made between them. Only the blocker reads their list; the blocked person is not told
 * beyond their words not reaching the DM.
 */
import { describe, expect, it } from 'vitest';
import {
  api,
  call,
  clientId,
  connect,
  createRoom,
  drain,
  embeddedRoom,
  expectError,
  guest,
  history,
  join,
  openRoom,
  say,
  SITE,
  visitorOf,
  type Guest,
  type TestSocket,
  uniqueName,
} from '../helpers';
import { byType, type Frame } from '../socket-client';

async function openDm(a: Guest, b: Guest): Promise<string> {
  const res = await call('POST', '/dms', a.token, { userId: b.id });
  expect(res.status).toBe(200);
  return ((await res.json()) as { chat: { id: string } }).chat.id;
}

const block = (by: Guest, who: { id: string }) => call('PUT', `/me/blocks/${who.id}`, by.token);
const unblock = (by: Guest, who: { id: string }) =>
  call('DELETE', `/me/blocks/${who.id}`, by.token);

async function chatOf(user: Guest, roomId: string) {
  const res = await api('/chats', { token: user.token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { chats: { id: string }[] }).chats.find((c) => c.id === roomId);
}

async function blockedList(user: Guest): Promise<string[]> {
  const res = await api('/me/blocks', { token: user.token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { users: { id: string }[] }).users.map((u) => u.id);
}

/** Sends `text` and returns the error frame it got (or fails on an ack). */
async function refusedSend(socket: TestSocket, text: string): Promise<Frame> {
  const id = clientId();
  socket.send({ type: 'send', clientId: id, text });
  const answer = await socket.q.take(
    (f) => (f.type === 'error' || f.type === 'ack') && (f.ref === id || f.clientId === id),
  );
  expect(answer.type).toBe('error');
  return answer;
}

describe('blocking someone', () => {
  it('closes their pair DM to new words from either, both ways, until unblocked', async () => {
    const [a, b] = [await guest(), await guest()];
    const dm = await openDm(a, b);
    const [sa, sb] = [await openRoom(dm, a.token), await openRoom(dm, b.token)];
    const before = (await say(sb, 'before the block')) as unknown as { seq: number };

    expect((await block(a, b)).status).toBe(200);
    expect(await blockedList(a)).toEqual([b.id]);
    expect(await blockedList(b)).toEqual([]);
    expect(await refusedSend(sb, 'after')).toMatchObject({
      code: 'blocked',
      message: 'They are not accepting your messages',
    });
    expect(await refusedSend(sa, 'mine')).toMatchObject({
      code: 'blocked',
      message: 'You blocked them: unblock them to send messages here',
    });
    sb.send({ type: 'react', target: before.seq, emoji: '👍', on: true });
    expect(await sb.q.take((f) => f.type === 'error' && f.ref === before.seq)).toMatchObject({
      code: 'blocked',
    });
    sb.send({ type: 'typing' });
    // Both can still read what was said.
    await drain(dm);
    const page = await history(dm, a.token);
    expect(page.messages.map((m) => m.text)).toEqual(['before the block']);
    expect((await history(dm, b.token)).messages).toHaveLength(1);

    expect((await unblock(a, b)).status).toBe(200);
    expect(await blockedList(a)).toEqual([]);
    await say(sb, 'after the unblock');
    // Typing while blocked never reached a; the message after does.
    const seen = sa.q.frames.filter((f) => f.type === 'typing');
    expect(seen).toEqual([]);
    await sa.q.take(
      (f) => f.type === 'message' && (f.message as { text: string }).text === 'after the unblock',
    );
    sa.close();
    sb.close();
  });

  it('keeps a new pair or group DM from being made, either way; an existing one still opens', async () => {
    const [a, b, c, d] = [await guest(), await guest(), await guest(), await guest()];
    const existing = await openDm(a, c);
    expect((await block(b, a)).status).toBe(200);
    expect((await block(a, c)).status).toBe(200);
    // b blocks a: neither may start their DM.
    await expectError(await call('POST', '/dms', a.token, { userId: b.id }), 403, 'blocked');
    await expectError(await call('POST', '/dms', b.token, { userId: a.id }), 403, 'blocked');
    // a and c had a DM before: it opens, for both.
    expect(await openDm(a, c)).toBe(existing);
    expect(await openDm(c, a)).toBe(existing);
    // A group with someone on either side of a block is refused, naming them.
    const group = await call('POST', '/dms/group', a.token, { userIds: [d.id, b.id] });
    expect((await expectError(group, 403, 'blocked')).field).toBe('userIds.1');
    // A block between two of the others is theirs: d, who blocks nobody, may group them.
    const others = await call('POST', '/dms/group', d.token, { userIds: [a.id, b.id] });
    expect(others.status).toBe(200);
  });

  it('keeps a person from being added to a room by someone on either side of a block', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    expect((await block(b, a)).status).toBe(200);
    for (const isPrivate of [true, false]) {
      const res = await call('POST', '/rooms', a.token, {
        name: uniqueName('r'),
        private: isPrivate,
      });
      const { room } = (await res.json()) as { room: { id: string } };
      // b blocks a: a may not put b in a room, private (a DM by another name) or public.
      const refused = await call('POST', `/rooms/${room.id}/members`, a.token, { userId: b.id });
      expect((await expectError(refused, 403, 'blocked')).field).toBe('userId');
      expect(await chatOf(b, room.id)).toBeUndefined();
      // Someone else may add b: the block is between a and b.
      expect(
        (await call('POST', `/rooms/${room.id}/members`, a.token, { userId: c.id })).status,
      ).toBe(200);
      expect((await call('PUT', `/rooms/${room.id}/moderators/${c.id}`, a.token)).status).toBe(200);
      expect(
        (await call('POST', `/rooms/${room.id}/members`, c.token, { userId: b.id })).status,
      ).toBe(200);
    }
  });

  it('leaves their mentions out of the blocker’s @ count (still unread), not other people’s', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    await join(room.id, c.token);
    expect((await block(b, c)).status).toBe(200);
    const [sa, sc] = [await openRoom(room.id, a.token), await openRoom(room.id, c.token)];
    await say(sc, `hey <@${b.id}>`);
    await drain(room.id);
    expect(await chatOf(b, room.id)).toMatchObject({ unread: 1, mentions: 0 });
    await say(sa, `and <@${b.id}> too`);
    await drain(room.id);
    expect(await chatOf(b, room.id)).toMatchObject({ unread: 2, mentions: 1 });
    // Unblocked, their mention counts again.
    expect((await unblock(b, c)).status).toBe(200);
    expect(await chatOf(b, room.id)).toMatchObject({ unread: 2, mentions: 2 });
  });

  it('leaves their mentions out of the live notices to the blocker’s tabs, whoever writes next', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const room = await createRoom(a.token);
    await join(room.id, b.token);
    await join(room.id, c.token);
    // b's tab is open before the block: their hub shard learns of it from the Worker.
    const { socket: lobby } = await connect('/lobby/ws', b.token);
    await lobby!.q.take(byType('hello'));
    expect((await block(b, c)).status).toBe(200);
    const [sa, sb, sc] = [
      await openRoom(room.id, a.token),
      await openRoom(room.id, b.token),
      await openRoom(room.id, c.token),
    ];
    /** b's notices for the room up to `seq`: whether each said it mentions them. */
    const mentionsUpTo = async ({ seq }: Frame) => {
      const said: boolean[] = [];
      for (;;) {
        const f = await lobby!.q.take((f) => f.type === 'activity' && f.roomId === room.id);
        said.push(f.mentionsYou as boolean);
        if ((f.seq as number) >= (seq as number)) return said;
      }
    };
    // c names b, and reaches them by @here (their room is open); a writes the newest message.
    await say(sc, `hey <@${b.id}>`);
    await say(sc, '<@here> anyone?');
    const plain = await say(sa, 'plain words');
    expect(await mentionsUpTo(plain)).not.toContain(true);
    // a names b, then c writes the newest message: the notice covering a's mention says so.
    await say(sa, `and <@${b.id}> too`);
    const after = await say(sc, 'plain again');
    expect((await mentionsUpTo(after)).filter(Boolean)).toEqual([true]);
    // b's own message since does not make their own mention of themselves count either.
    const own = await say(sb, `me, <@${b.id}>`);
    expect(await mentionsUpTo(own)).not.toContain(true);
    // Unblocked, with the same tab open: c's mention counts again.
    expect((await unblock(b, c)).status).toBe(200);
    const again = await say(sc, `back, <@${b.id}>`);
    expect((await mentionsUpTo(again)).filter(Boolean)).toEqual([true]);
    lobby!.close();
  });

  it('refuses what makes no sense or is not theirs to do, and is idempotent', async () => {
    const a = await guest();
    const b = await guest();
    await expectError(await block(a, a), 400, 'validation_failed');
    await expectError(await block(a, { id: 'nobody-at-all' }), 404, 'user_not_found');
    await expectError(await api('/me/blocks'), 401, 'unauthorized');
    expect((await block(a, b)).status).toBe(200);
    expect((await block(a, b)).status).toBe(200);
    expect(await blockedList(a)).toEqual([b.id]);
    expect((await unblock(a, b)).status).toBe(200);
    expect((await unblock(a, b)).status).toBe(200);
    await expectError(await unblock(a, { id: 'nobody-at-all' }), 404, 'user_not_found');
    expect(await blockedList(a)).toEqual([]);
    // A widget visitor's session reaches its own room only.
    const { room } = await embeddedRoom();
    const visitor = await visitorOf(room.id, SITE);
    const res = await api(`/me/blocks/${a.id}`, {
      method: 'PUT',
      json: {},
      token: visitor.token,
      headers: { origin: SITE },
    });
    expect(res.status).toBe(403);
  });

  it('leaves the DM where D1 is after blocks and unblocks sent all at once', async () => {
    const [a, b] = [await guest(), await guest()];
    const dm = await openDm(a, b);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? block(a, b) : unblock(a, b))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const blocked = (await blockedList(a)).includes(b.id);
    const sb = await openRoom(dm, b.token);
    if (blocked) expect((await refusedSend(sb, 'x')).code).toBe('blocked');
    else await say(sb, 'x');
    // And a last, single change is followed exactly.
    expect((await (blocked ? unblock(a, b) : block(a, b))).status).toBe(200);
    if (blocked) await say(sb, 'y');
    else expect((await refusedSend(sb, 'y')).code).toBe('blocked');
    sb.close();
  });
});
