/**
 * Reactions: events in the room's order, idempotent per person and emoji, replayed on resume,
 * stored in D1 and returned with history, and refused for what is not one emoji.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  createRoom,
  drain,
  guest,
  history,
  join,
  openRoom,
  say,
  type TestSocket,
} from '../helpers';
import { byType, type Frame } from '../socket-client';

const roomStub = (id: string) => env.ROOM.get(env.ROOM.idFromName(id));
const reaction = (f: Frame) => f.type === 'reaction';

async function roomOfTwo() {
  const [a, b] = [await guest(), await guest()];
  const room = await createRoom(a.token);
  await join(room.id, b.token);
  const sa = await openRoom(room.id, a.token);
  const sb = await openRoom(room.id, b.token);
  const { seq } = await say(sa, 'react to me');
  return { a, b, room, sa, sb, target: seq as number };
}

const react = (s: TestSocket, target: number, emoji: string, on = true) =>
  s.send({ type: 'react', target, emoji, on });

describe('reactions', () => {
  it('sends each change once to everyone, in order, and ignores a repeat', async () => {
    const { a, b, sa, sb, target } = await roomOfTwo();
    react(sb, target, '👍');
    react(sb, target, '👍'); // a repeat: no event
    react(sa, target, '❤️');
    // Two changes, in one order that both sockets see; the repeat made none.
    const seen = [];
    for (const s of [sa, sb]) {
      const two = [await s.q.take(reaction), await s.q.take(reaction)];
      seen.push(two.map((f) => `${f.seq}:${f.emoji}:${(f.user as { id: string }).id}`));
    }
    expect(seen[0]).toEqual(seen[1]);
    expect([...seen[0]!].map((k) => k.split(':').slice(1).join(':')).sort()).toEqual(
      [`❤️:${a.id}`, `👍:${b.id}`].sort(),
    );
    react(sb, target, '👍', false);
    react(sb, target, '👍', false);
    react(sb, target, '🎉');
    // One socket's frames are handled in the order sent.
    expect(await sa.q.take(reaction)).toMatchObject({ emoji: '👍', on: false });
    expect(await sa.q.take(reaction)).toMatchObject({ emoji: '🎉', on: true });
    expect(sa.q.frames.filter(reaction)).toEqual([]);
  });

  it('returns the reactions with history, counted exactly and marked for the viewer', async () => {
    const { a, b, room, sa, sb, target } = await roomOfTwo();
    react(sa, target, '❤️');
    react(sb, target, '❤️');
    react(sb, target, '🎉');
    react(sb, target, '🎉', false);
    let seen = 0;
    while (seen < 4) {
      await sa.q.take(reaction);
      seen += 1;
    }
    await drain(room.id);
    const [forA] = (await history(room.id, a.token)).messages;
    expect(forA!.reactions).toEqual([{ emoji: '❤️', count: 2, users: [a.id, b.id], me: true }]);
    const c = await guest();
    const [forC] = (await history(room.id, c.token)).messages;
    expect(forC!.reactions).toEqual([{ emoji: '❤️', count: 2, users: [a.id, b.id], me: false }]);
  });

  it('replays reaction events to a client that resumes after the message', async () => {
    const { b, room, sa, target } = await roomOfTwo();
    react(sa, target, '😮');
    await sa.q.take(reaction);
    const late = await openRoom(room.id, b.token, target);
    expect(await late.q.take(reaction)).toMatchObject({ target, emoji: '😮', on: true });
    await late.q.take(byType('caught_up'));
  });

  it('refuses what is not one emoji, a message that does not exist or was deleted, and a 21st kind', async () => {
    const { room, sa, target } = await roomOfTwo();
    for (const emoji of ['a', '👍👍', '👍\u200b', ':+1:', '']) {
      react(sa, target, emoji);
      expect(await sa.q.take(byType('error'))).toMatchObject({ code: 'validation_failed' });
    }
    react(sa, 999, '👍');
    expect(await sa.q.take(byType('error'))).toMatchObject({ code: 'message_not_found', ref: 999 });
    const { seq: gone } = await say(sa, 'soon gone');
    sa.send({ type: 'delete', target: gone });
    await sa.q.take(byType('delete'));
    react(sa, gone as number, '👍');
    expect(await sa.q.take(byType('error'))).toMatchObject({ code: 'message_not_found' });

    // Twenty kinds already on the message (as if from twenty people).
    const kinds = [
      '😀',
      '😁',
      '😂',
      '🤣',
      '😃',
      '😄',
      '😅',
      '😆',
      '😉',
      '😊',
      '😋',
      '😎',
      '😍',
      '😘',
      '🥰',
      '😗',
      '😙',
      '🥲',
      '😚',
      '🙂',
    ];
    await runInDurableObject(roomStub(room.id), (_room, state) => {
      for (const emoji of kinds) {
        state.storage.sql.exec(
          'INSERT INTO reactions (target, emoji, user_id) VALUES (?, ?, ?)',
          target,
          emoji,
          `someone-${emoji}`,
        );
      }
    });
    react(sa, target, '🤔');
    expect(await sa.q.take(byType('error'))).toMatchObject({ code: 'quota_exceeded', ref: target });
    react(sa, target, '😀'); // an existing kind still takes one more person
    expect(await sa.q.take(reaction)).toMatchObject({ emoji: '😀', on: true });
  });

  it('takes a quick run of 24 reactions (a bucket of their own) and still lets the person write', async () => {
    const { sb, target } = await roomOfTwo();
    // Production limits here: messages 10 at once, 2/s; reactions three times that.
    for (let i = 0; i < 24; i++) react(sb, target, '👍', i % 2 === 0);
    for (let i = 0; i < 24; i++) {
      expect(await sb.q.take(reaction)).toMatchObject({ emoji: '👍', on: i % 2 === 0 });
    }
    expect(sb.q.frames.filter(byType('error'))).toEqual([]);
    // Reacting spent none of the room's message bucket (only tokens across chats, which
    // bound a flood over many chats and have 30 at once).
    await say(sb, 'still here');
  });
});
