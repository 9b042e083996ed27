import { describe, expect, it } from 'vitest';
import {
  api,
  connect,
  createRoom,
  expectError,
  expectRefusedSocket,
  guest,
  ORIGIN,
  refusedSocket,
  register,
  upgrade,
} from '../helpers';

async function openDm(token: string, userId: string) {
  const res = await api('/dms', { method: 'POST', json: { userId }, token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { chat: { id: string } }).chat.id;
}

describe('who may see what', () => {
  it('derives the DM id from the sorted pair, the same from either side', async () => {
    const [a, b] = [await guest(), await guest()];
    const fromA = await openDm(a.token, b.id);
    const fromB = await openDm(b.token, a.id);
    expect(fromA).toBe(fromB);
    expect(fromA).toBe(`dm:${[a.id, b.id].sort().join(':')}`);
  });

  it('refuses a third user the DM history (403) and the DM socket (an error frame)', async () => {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    const dm = await openDm(a.token, b.id);
    await expectError(
      await api(`/rooms/${encodeURIComponent(dm)}/messages`, { token: c.token }),
      403,
      'forbidden',
    );
    await expectRefusedSocket(`/rooms/${encodeURIComponent(dm)}/ws`, c.token, 'forbidden');
    await expectError(
      await api(`/rooms/${encodeURIComponent(dm)}/join`, {
        method: 'POST',
        json: {},
        token: c.token,
      }),
      403,
      'forbidden',
    );
  });

  it('refuses a forged DM id naming the user with someone who never opened it', async () => {
    const [a, b] = [await guest(), await guest()];
    const forged = `dm:${[a.id, b.id].sort().join(':')}`;
    await expectRefusedSocket(`/rooms/${encodeURIComponent(forged)}/ws`, a.token, 'room_not_found');
  });

  it('refuses a socket to a public room the user has not joined (an error frame, then close 1000)', async () => {
    const [a, b] = [await guest(), await guest()];
    const room = await createRoom(a.token);
    await expectRefusedSocket(`/rooms/${room.id}/ws`, b.token, 'not_a_member');
    // A browser passing its token as a subprotocol gets `parlor.v1` back, or its handshake
    // would fail (1006) before it could read why.
    const offered = await upgrade(`/rooms/${room.id}/ws`, b.token, {
      'sec-websocket-protocol': `parlor.v1, token.${b.token}`,
    });
    expect(offered.headers.get('sec-websocket-protocol')).toBe('parlor.v1');
    expect(await refusedSocket(offered)).toBe('not_a_member');
  });

  it('refuses an upgrade without a session or with a bad token (401), and a socket for an unknown room', async () => {
    const a = await guest();
    const anon = await api('/rooms/global/ws', {
      headers: { upgrade: 'websocket', origin: ORIGIN },
    });
    await expectError(anon, 401, 'unauthorized');
    const { res: bad } = await connect('/rooms/global/ws', 'not.a.token');
    await expectError(bad, 401, 'unauthorized');
    await expectRefusedSocket('/rooms/no-such-room/ws', a.token, 'room_not_found');
  });

  it('refuses an upgrade from a foreign Origin', async () => {
    const a = await guest();
    const { res, socket } = await connect('/rooms/global/ws', a.token, {
      origin: 'https://evil.example',
    });
    expect(socket).toBeNull();
    await expectError(res, 403, 'origin_not_allowed');
  });

  it('accepts the token as a WebSocket subprotocol and answers with parlor.v1', async () => {
    const a = await guest();
    const { exports } = await import('cloudflare:workers');
    const res = await exports.default.fetch(`${ORIGIN}/api/rooms/global/ws`, {
      headers: {
        upgrade: 'websocket',
        origin: ORIGIN,
        'sec-websocket-protocol': `parlor.v1, token.${a.token}`,
      },
    });
    expect(res.status).toBe(101);
    expect(res.headers.get('sec-websocket-protocol')).toBe('parlor.v1');
    res.webSocket!.accept();
    res.webSocket!.close();
  });

  it('refuses the upgrade after logout and closes the sockets of that session', async () => {
    const user = await register();
    const { socket } = await connect('/rooms/global/ws', user.token);
    await socket!.q.take((f) => f.type === 'hello');
    await api('/auth/logout', { method: 'POST', json: {}, token: user.token });
    expect((await socket!.q.closedWith()).code).toBe(1008);
    const { res } = await connect('/rooms/global/ws', user.token);
    await expectError(res, 401, 'session_expired');
  });

  it('answers a plain GET on a socket route with 426', async () => {
    const a = await guest();
    await expectError(await api('/rooms/global/ws', { token: a.token }), 426, 'bad_request');
  });
});
