/**
 * The socket lifecycle of rooms and the lobby: closes answered, dropped sockets that stay
 * dropped, presence after hibernation, typing, renames, caps.
 */
import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Room } from '../../src/durable/room';
import {
  api,
  clientId,
  connect,
  createRoom,
  drain,
  guest,
  history,
  join,
  openRoom,
  say,
  releaseHeldNames,
} from '../helpers';
import { byType } from '../socket-client';

const roomStub = (id: string) => env.ROOM.get(env.ROOM.idFromName(id));

async function roomOfTwo() {
  const a = await guest();
  const b = await guest();
  const room = await createRoom(a.token);
  await join(room.id, b.token);
  const sa = await openRoom(room.id, a.token);
  const sb = await openRoom(room.id, b.token);
  await sa.q.take((f) => f.type === 'online');
  return { a, b, room, sa, sb };
}

/**
 * The room's own end of each socket `userId` holds now. Kept by the test: after the server
 * closes them, the workerd test client answers the close at once and the runtime forgets
 * them, so a client that ignores the close is played by delivering frames to these directly,
 * as the runtime does for a socket whose client never answered (tests/e2e/realtime.test.ts
 * does it over a real connection, across hibernation too).
 */
async function heldSockets(roomId: string, userId: string): Promise<WebSocket[]> {
  return runInDurableObject(roomStub(roomId), (_room, state) => state.getWebSockets(userId));
}

async function deliver(roomId: string, sockets: WebSocket[], frame: object) {
  await runInDurableObject(roomStub(roomId), async (room: Room) => {
    for (const ws of sockets) await room.webSocketMessage(ws, JSON.stringify(frame));
  });
}

describe('closing', () => {
  it('answers a client’s close, so the client sees a clean 1000 rather than 1006', async () => {
    const { sa } = await roomOfTwo();
    sa.ws.close(1000, 'bye');
    expect(await sa.q.closedWith()).toMatchObject({ code: 1000 });
  });

  it('answers a client’s close in the lobby too', async () => {
    const a = await guest();
    const { socket } = await connect('/lobby/ws', a.token);
    await socket!.q.take(byType('hello'));
    socket!.ws.close(4001, 'bye');
    expect((await socket!.q.closedWith()).code).toBe(4001);
  });
});

describe('a socket the server dropped stays dropped', () => {
  it('ignores every frame from a socket closed by logout', async () => {
    const { a, b, room, sa, sb } = await roomOfTwo();
    const before = await say(sb, 'before');
    const held = await heldSockets(room.id, b.id);
    expect(held).toHaveLength(1);
    await api('/auth/logout', { method: 'POST', json: {}, token: b.token });
    expect((await sb.q.closedWith()).code).toBe(1008);
    expect(await sa.q.take(byType('offline'))).toMatchObject({ user: { id: b.id } });
    await deliver(room.id, held, { type: 'send', clientId: clientId(), text: 'ghost' });
    await deliver(room.id, held, { type: 'typing' });
    expect((await say(sa, 'after')).seq).toBe((before.seq as number) + 1);
    await drain(room.id);
    expect((await history(room.id, a.token)).messages.map((m) => m.text)).toEqual([
      'before',
      'after',
    ]);
    expect(sa.q.ofType('typing')).toEqual([]);
    expect(sa.q.ofType('message').map((f) => f.seq)).toEqual([
      before.seq,
      (before.seq as number) + 1,
    ]);
  });

  it('ignores every frame from a socket closed by leaving the room', async () => {
    const { a, b, room, sa, sb } = await roomOfTwo();
    const held = await heldSockets(room.id, b.id);
    const left = await api(`/rooms/${room.id}/leave`, { method: 'POST', json: {}, token: b.token });
    expect(left.status).toBe(200);
    expect((await sb.q.closedWith()).code).toBe(1000);
    await deliver(room.id, held, { type: 'send', clientId: clientId(), text: 'ghost' });
    // b's join and leave notices took seqs 1 and 2; the ghost took none.
    expect((await say(sa, 'only me')).seq).toBe(3);
    await drain(room.id);
    expect((await history(room.id, a.token)).messages.map((m) => m.text)).toEqual(['only me']);
  });

  it('marks the dropped socket in its attachment, which hibernation keeps', async () => {
    const { b, room } = await roomOfTwo();
    const held = await heldSockets(room.id, b.id);
    await api('/auth/logout', { method: 'POST', json: {}, token: b.token });
    const attachments = await runInDurableObject(roomStub(room.id), () =>
      held.map((ws) => ws.deserializeAttachment() as { dropped?: boolean }),
    );
    expect(attachments).toEqual([expect.objectContaining({ dropped: true })]);
  });
});

describe('presence after hibernation', () => {
  it('announces offline when a user closes their last socket after the room was evicted', async () => {
    const { b, room, sa, sb } = await roomOfTwo();
    await evictDurableObject(roomStub(room.id));
    sb.close();
    expect(await sa.q.take(byType('offline'))).toMatchObject({
      type: 'offline',
      user: { id: b.id },
    });
  });
});

describe('typing', () => {
  it('is not echoed to the typist’s own other tabs', async () => {
    const { a, room, sa, sb } = await roomOfTwo();
    const tab2 = await openRoom(room.id, a.token);
    sa.send({ type: 'typing' });
    expect(await sb.q.take(byType('typing'))).toMatchObject({ user: { id: a.id } });
    // A later frame to every socket proves the typing notice would have arrived before it.
    await say(sb, 'marker');
    await tab2.q.take(byType('message'));
    expect(tab2.q.ofType('typing')).toEqual([]);
  });
});

describe('retries and the rate limit', () => {
  it('acknowledges a retried clientId with its original ack even when the bucket is empty', async () => {
    const { sa } = await roomOfTwo();
    const first = clientId();
    const ack = await say(sa, 'first', first);
    for (let n = 0; n < 12; n += 1) sa.send({ type: 'send', clientId: clientId(), text: `${n}` });
    await sa.q.take((f) => f.type === 'error' && f.code === 'rate_limited');
    sa.send({ type: 'send', clientId: first, text: 'first' });
    const again = await sa.q.take((f) => f.type === 'ack' && f.clientId === first);
    expect(again).toEqual(ack);
  });
});

describe('renames', () => {
  it('updates live frames and replays to the new name, never a newcomer’s', async () => {
    const { a, b, room, sa, sb } = await roomOfTwo();
    const old = await say(sb, 'said before');
    const newName = `Renamed${crypto.randomUUID().slice(0, 6)}`;
    const res = await api('/me', { method: 'PATCH', json: { username: newName }, token: b.token });
    expect(res.status).toBe(200);
    expect(await sa.q.take(byType('user'))).toMatchObject({ user: { id: b.id, name: newName } });
    await releaseHeldNames(b.id);
    const taker = await guest(b.name);
    expect(taker.id).not.toBe(b.id);
    // Live: the new name on b's next message, from the same socket.
    await say(sb, 'said after');
    const live = await sa.q.take((f) => f.type === 'message' && f.seq === (old.seq as number) + 1);
    expect(live).toMatchObject({ message: { author: { id: b.id, name: newName } } });
    // Replay: the message from before the rename carries the new name too.
    const resumed = await openRoom(room.id, a.token, 0);
    const replayed = await resumed.q.take((f) => f.type === 'message' && f.seq === old.seq);
    expect(replayed).toMatchObject({ message: { author: { id: b.id, name: newName } } });
    const online = await openRoom(room.id, a.token);
    void online;
  });

  it('replays a message under its author’s current name after they left the room and renamed', async () => {
    const { a, b, room, sb } = await roomOfTwo();
    const old = await say(sb, 'said, then left');
    sb.close();
    const left = await api(`/rooms/${room.id}/leave`, { method: 'POST', json: {}, token: b.token });
    expect(left.status).toBe(200);
    // Not a member any more: the room is not told of the rename.
    const newName = `Renamed${crypto.randomUUID().slice(0, 6)}`;
    const res = await api('/me', { method: 'PATCH', json: { username: newName }, token: b.token });
    expect(res.status).toBe(200);
    await releaseHeldNames(b.id);
    const taker = await guest(b.name);
    expect(taker.id).not.toBe(b.id);

    const resumed = await openRoom(room.id, a.token, 0);
    const replayed = await resumed.q.take((f) => f.type === 'message' && f.seq === old.seq);
    expect(replayed).toMatchObject({
      message: { text: 'said, then left', author: { id: b.id, name: newName } },
    });
  });
});

describe('caps', () => {
  it('refuses an eleventh socket of one user in a room with quota_exceeded and 4029', async () => {
    const { a, room } = await roomOfTwo();
    for (let n = 0; n < 9; n += 1) await openRoom(room.id, a.token);
    const { socket } = await connect(`/rooms/${room.id}/ws`, a.token);
    expect(await socket!.q.take(byType('error'))).toMatchObject({ code: 'quota_exceeded' });
    expect((await socket!.q.closedWith()).code).toBe(4029);
    expect(socket!.q.ofType('hello')).toEqual([]);
  });

  it('refuses an eleventh lobby socket of one user the same way', async () => {
    const a = await guest();
    for (let n = 0; n < 10; n += 1) {
      const { socket } = await connect('/lobby/ws', a.token);
      await socket!.q.take(byType('hello'));
    }
    const { socket } = await connect('/lobby/ws', a.token);
    expect(await socket!.q.take(byType('error'))).toMatchObject({ code: 'quota_exceeded' });
    expect((await socket!.q.closedWith()).code).toBe(4029);
  });
});
