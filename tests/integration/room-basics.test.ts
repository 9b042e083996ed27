import { describe, expect, it } from 'vitest';
import { byType } from '../socket-client';
import { clientId, createRoom, guest, openRoom } from '../helpers';

describe('room sockets', () => {
  it('stamps author, time and seq on a message and broadcasts it to everyone', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    // b joins the room first.
    const { api } = await import('../helpers');
    expect(
      (await api(`/rooms/${room.id}/join`, { method: 'POST', json: {}, token: b.token })).status,
    ).toBe(200);
    const sa = await openRoom(room.id, a.token);
    const sb = await openRoom(room.id, b.token);
    const cid = clientId();
    sa.send({ type: 'send', clientId: cid, text: '  hello there  ', author: 'forged' });
    const ack = await sa.q.take(byType('ack'));
    // b's join notice took seq 1.
    expect(ack).toMatchObject({ clientId: cid, seq: 2 });
    const seen = await sb.q.take(byType('message'));
    expect(seen).toMatchObject({
      seq: 2,
      message: {
        seq: 2,
        text: 'hello there',
        author: { id: a.id, name: a.name },
        roomId: room.id,
        editedAt: null,
        deleted: false,
      },
    });
    expect((seen.message as { id: string }).id).toBe(ack.id);
  });
});
