/** Replies: a message may name an earlier one of its room; the reference is kept everywhere. */
import { describe, expect, it } from 'vitest';
import { clientId, createRoom, drain, guest, history, openRoom, say } from '../helpers';
import { byType } from '../socket-client';

describe('replies', () => {
  it('carries replyTo live, in replay and in history', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    const { seq: original } = await say(s, 'the question');
    const id = clientId();
    s.send({ type: 'send', clientId: id, text: 'the answer', replyTo: original });
    const event = await s.q.take((f) => f.type === 'message' && f.seq === 2);
    expect(event).toMatchObject({ message: { replyTo: original, text: 'the answer' } });
    const late = await openRoom(room.id, a.token, 1);
    expect(await late.q.take(byType('message'))).toMatchObject({ message: { replyTo: 1 } });
    await drain(room.id);
    const page = await history(room.id, a.token);
    expect(page.messages.map((m) => [m.seq, m.replyTo])).toEqual([
      [1, null],
      [2, 1],
    ]);
  });

  it('refuses a reply to a message that does not exist or was deleted, storing nothing', async () => {
    const a = await guest();
    const room = await createRoom(a.token);
    const s = await openRoom(room.id, a.token);
    const missing = clientId();
    s.send({ type: 'send', clientId: missing, text: 'to nothing', replyTo: 99 });
    expect(await s.q.take(byType('error'))).toMatchObject({
      code: 'message_not_found',
      ref: missing,
    });
    const { seq } = await say(s, 'soon deleted');
    s.send({ type: 'delete', target: seq });
    await s.q.take(byType('delete'));
    s.send({ type: 'send', clientId: clientId(), text: 'to a tombstone', replyTo: seq });
    expect(await s.q.take(byType('error'))).toMatchObject({ code: 'message_not_found' });
    s.send({ type: 'send', clientId: clientId(), text: 'bad', replyTo: 'one' });
    expect(await s.q.take(byType('error'))).toMatchObject({ code: 'validation_failed' });
    await drain(room.id);
    expect((await history(room.id, a.token)).messages.map((m) => m.text)).toEqual(['']);
  });
});
