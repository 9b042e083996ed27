import { env, evictDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { byType } from '../socket-client';
import { clientId, createRoom, drain, guest, history, join, openRoom, say } from '../helpers';

async function roomOfOne() {
  const a = await guest();
  const room = await createRoom(a.token);
  return { a, room, s: await openRoom(room.id, a.token) };
}

describe('bad frames get an error frame and the socket stays open', () => {
  const cases: [string, string | object, string][] = [
    ['malformed JSON', '{"type": "send", ', 'invalid_json'],
    ['an unknown frame type', { type: 'shout', text: 'hi' }, 'unknown_frame'],
    ['a frame that is not an object', '42', 'unknown_frame'],
    ['a missing clientId', { type: 'send', text: 'hi' }, 'validation_failed'],
    ['a wrongly typed target', { type: 'edit', target: 'one', text: 'x' }, 'validation_failed'],
    ['an empty message', { type: 'send', clientId: clientId(), text: '   ' }, 'validation_failed'],
    [
      'a message of zero-width spaces',
      { type: 'send', clientId: clientId(), text: '\u200b\u200b' },
      'validation_failed',
    ],
    [
      'a message of fillers, marks and line breaks',
      { type: 'send', clientId: clientId(), text: '\u3164 \u2800\n\u200f\u2066\ufeff' },
      'validation_failed',
    ],
    [
      'a letter under 300 combining marks',
      { type: 'send', clientId: clientId(), text: `a${'\u0301'.repeat(300)} hi` },
      'validation_failed',
    ],
    [
      'text over 4,000 characters',
      { type: 'send', clientId: clientId(), text: 'x'.repeat(4001) },
      'text_too_long',
    ],
    [
      'an edit of a message that does not exist',
      { type: 'edit', target: 999, text: 'x' },
      'message_not_found',
    ],
  ];
  for (const [what, frame, code] of cases) {
    it(`answers ${what} with ${code}`, async () => {
      const { s } = await roomOfOne();
      s.send(frame);
      const error = await s.q.take(byType('error'));
      expect(error.code).toBe(code);
      expect(typeof error.message).toBe('string');
      // Still open and working.
      expect((await say(s, 'still here')).seq).toBe(1);
    });
  }

  it('refuses an edit to invisible text, and keeps text whose invisible parts join visible ones', async () => {
    const { s } = await roomOfOne();
    const { seq } = await say(s, 'visible');
    s.send({ type: 'edit', target: seq, text: '\u200b' });
    expect(await s.q.take(byType('error'))).toMatchObject({ code: 'validation_failed', ref: seq });
    // An emoji joined by U+200D and Hebrew ending in a direction mark are visible text.
    expect((await say(s, '👩\u200d💻')).seq).toBe(2);
    expect((await say(s, 'שלום\u200f')).seq).toBe(3);
  });

  it('refuses an edit that stacks more than 8 marks on a letter, and keeps scripts that stack a few', async () => {
    const { s } = await roomOfOne();
    const { seq } = await say(s, 'plain');
    s.send({ type: 'edit', target: seq, text: `a${'\u0301'.repeat(9)}` });
    const error = await s.q.take(byType('error'));
    expect(error).toMatchObject({ code: 'validation_failed', ref: seq });
    expect(error.message).toContain('combining marks');
    // Hebrew with points and a cantillation mark, Vietnamese, and eight marks: all kept.
    expect((await say(s, 'בְּרֵאשִׁ֖ית')).seq).toBe(2);
    expect((await say(s, 'Tiếng Việt')).seq).toBe(3);
    expect((await say(s, `a${'\u0301'.repeat(8)}`)).seq).toBe(4);
  });

  it('closes with 1009 after an error frame for a frame over 64 KB', async () => {
    const { s } = await roomOfOne();
    s.send({ type: 'send', clientId: clientId(), text: 'x'.repeat(70_000) });
    expect((await s.q.take(byType('error'))).code).toBe('frame_too_large');
    expect((await s.q.closedWith()).code).toBe(1009);
  });

  it('measures the limit in bytes: 25,000 three-byte characters are over 64 KB', async () => {
    const { s } = await roomOfOne();
    s.send({ type: 'send', clientId: clientId(), text: '語'.repeat(25_000) });
    expect((await s.q.take(byType('error'))).code).toBe('frame_too_large');
    expect((await s.q.closedWith()).code).toBe(1009);
  });

  it('refuses editing or deleting someone else’s message with not_author', async () => {
    const { a, room, s } = await roomOfOne();
    const b = await guest();
    await join(room.id, b.token);
    const sb = await openRoom(room.id, b.token);
    const mine = await say(s, 'mine');
    sb.send({ type: 'edit', target: mine.seq, text: 'hijacked' });
    expect(await sb.q.take(byType('error'))).toMatchObject({ code: 'not_author', ref: mine.seq });
    sb.send({ type: 'delete', target: mine.seq });
    expect(await sb.q.take(byType('error'))).toMatchObject({ code: 'not_author', ref: mine.seq });
    await drain(room.id);
    expect((await history(room.id, a.token)).messages[0]).toMatchObject({
      text: 'mine',
      deleted: false,
    });
  });

  it('checks authorship from D1 once the message has left the replay buffer', async () => {
    const { room, s } = await roomOfOne();
    const b = await guest();
    await join(room.id, b.token);
    const sb = await openRoom(room.id, b.token);
    const old = await say(s, 'old');
    await drain(room.id);
    const { runInDurableObject } = await import('cloudflare:test');
    await runInDurableObject(env.ROOM.get(env.ROOM.idFromName(room.id)), (_o, state) => {
      state.storage.sql.exec('DELETE FROM events');
    });
    sb.send({ type: 'delete', target: old.seq });
    expect((await sb.q.take(byType('error'))).code).toBe('not_author');
    s.send({ type: 'edit', target: old.seq, text: 'old, edited' });
    expect(await sb.q.take(byType('edit'))).toMatchObject({
      target: old.seq,
      seq: (old.seq as number) + 1,
    });
  });

  it('limits a burst of messages per user with retry-after, storing nothing refused', async () => {
    const { room, s } = await roomOfOne();
    const ids = Array.from({ length: 14 }, () => clientId());
    for (const id of ids) s.send({ type: 'send', clientId: id, text: id });
    const errors = [];
    for (let n = 0; n < 4; n += 1) errors.push(await s.q.take(byType('error')));
    for (const e of errors) {
      expect(e.code).toBe('rate_limited');
      expect(e.retryAfterMs).toBeGreaterThan(0);
    }
    expect(errors.map((e) => e.ref)).toEqual(ids.slice(10));
    await drain(room.id);
    const page = await history(room.id, (await guest()).token);
    expect(page.messages.map((m) => m.text)).toEqual(ids.slice(0, 10));
  });
});

describe('presence and typing', () => {
  it('tells each client who is online, and when the other comes and goes', async () => {
    const { a, room, s } = await roomOfOne();
    const b = await guest();
    await join(room.id, b.token);
    const sb = await openRoom(room.id, b.token);
    expect(await s.q.take((f) => f.type === 'online')).toMatchObject({
      user: { id: b.id, name: b.name },
    });
    sb.close();
    expect(await s.q.take((f) => f.type === 'offline')).toMatchObject({ user: { id: b.id } });
    const again = await openRoom(room.id, b.token);
    again.send({ type: 'typing' });
    expect(await s.q.take(byType('typing'))).toMatchObject({ user: { id: b.id } });
    // The typist does not hear itself, and typing is never stored.
    const said = await say(s, 'after typing');
    expect(again.q.ofType('typing')).toEqual([]);
    await drain(room.id);
    // b's join notice, then the message: typing took no seq.
    expect(said.seq).toBe(2);
    expect((await history(room.id, a.token)).roomSeq).toBe(2);
  });

  it('lists online users in hello, each user once however many tabs', async () => {
    const { a, room } = await roomOfOne();
    await openRoom(room.id, a.token);
    const b = await guest();
    await join(room.id, b.token);
    const { connect } = await import('../helpers');
    const { socket } = await connect(`/rooms/${room.id}/ws`, b.token);
    const hello = await socket!.q.take(byType('hello'));
    expect((hello.online as { id: string }[]).map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
  });
});

describe('hibernation', () => {
  it('keeps identity, presence and seq across an eviction with sockets hibernated', async () => {
    const { a, room, s } = await roomOfOne();
    const b = await guest();
    await join(room.id, b.token);
    const sb = await openRoom(room.id, b.token);
    const before = await say(s, 'before');
    await sb.q.take(byType('message'));
    await evictDurableObject(env.ROOM.get(env.ROOM.idFromName(room.id)));

    const after = await say(sb, 'after');
    const next = (before.seq as number) + 1;
    expect(after.seq).toBe(next);
    const seen = await s.q.take((f) => f.type === 'message' && f.seq === next);
    expect(seen).toMatchObject({
      seq: next,
      message: { text: 'after', author: { id: b.id, name: b.name } },
    });
    const late = await guest();
    await join(room.id, late.token);
    const { connect } = await import('../helpers');
    const { socket } = await connect(`/rooms/${room.id}/ws`, late.token);
    const hello = await socket!.q.take(byType('hello'));
    expect((hello.online as { id: string }[]).map((u) => u.id).sort()).toEqual(
      [a.id, b.id, late.id].sort(),
    );
    // The late one's join notice came after the message.
    expect(hello.seq).toBe(next + 1);
  });
});
