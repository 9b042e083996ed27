/**
 * A reader that stops reading must not make the server buffer without limit: the room counts
 * what it sent each socket against the receipts the socket sends back, and closes one that
 * falls LIMITS.unsentChars behind with 4000 (reconnect and resume). Readers that keep up
 * are not touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/shared/limits';
import { ApiClient } from './client';
import { DevServer } from './server';

const server = new DevServer({
  MESSAGE_BURST: '100000',
  MESSAGE_RATE_PER_SECOND: '100000',
  MESSAGE_BURST_ALL_CHATS: '100000',
  MESSAGE_RATE_ALL_CHATS_PER_SECOND: '100000',
});
let api: ApiClient;

beforeAll(async () => {
  await server.start();
  api = new ApiClient(server.url);
});
afterAll(() => server.stop());

type Opened = Awaited<ReturnType<ApiClient['open']>>;

/** Reads like the web client: a receipt for every LIMITS.receiptChars characters received. */
function sendReceipts(socket: Opened): void {
  let unreported = 0;
  socket.ws.on('message', (data) => {
    unreported += String(data).length;
    if (unreported >= LIMITS.receiptChars) {
      socket.send({ type: 'received', chars: unreported });
      unreported = 0;
    }
  });
}

describe('slow readers', () => {
  it('closes a socket that stopped reading with 4000 while readers that keep up get every message', async () => {
    const [sender, slow, good] = await Promise.all([api.guest(), api.guest(), api.guest()]);
    const { body } = await api.call('/rooms', {
      json: { name: `slow ${crypto.randomUUID().slice(0, 8)}` },
      token: sender.token,
    });
    const roomId = (body.room as { id: string }).id;
    for (const u of [slow, good]) {
      expect((await api.call(`/rooms/${roomId}/join`, { json: {}, token: u.token })).status).toBe(
        200,
      );
    }
    const out = await api.open(`/rooms/${roomId}/ws`, sender.token);
    const reader = await api.open(`/rooms/${roomId}/ws`, good.token);
    const stalled = await api.open(`/rooms/${roomId}/ws`, slow.token);
    sendReceipts(out);
    sendReceipts(reader);
    let stalledMessages = 0;
    stalled.ws.on('message', (data) => {
      const text = String(data);
      stalledMessages += text.split('"type":"message"').length - 1;
    });
    stalled.ws.pause();

    // Twice the bound in total, in rounds that wait for their acks.
    const text = 'x'.repeat(3900);
    const total = Math.ceil((2 * LIMITS.unsentChars) / text.length);
    for (let sent = 0; sent < total;) {
      const round = Math.min(100, total - sent);
      for (let i = 0; i < round; i += 1) {
        out.send({ type: 'send', clientId: `slow-${sent + i}-${crypto.randomUUID()}`, text });
      }
      for (let i = 0; i < round; i += 1) await out.q.take((f) => f.type === 'ack', 30_000, 'ack');
      sent += round;
    }
    for (let n = 0; n < total; n += 1) {
      await reader.q.take((f) => f.type === 'message', 30_000, `message ${n}`);
    }

    stalled.ws.resume();
    const closed = await stalled.q.closedWith(45_000);
    expect(closed.code).toBe(4000);
    expect(stalledMessages).toBeGreaterThan(0);
    expect(stalledMessages).toBeLessThan(total);
    // The readers that kept up are still connected and still served.
    out.send({ type: 'send', clientId: `after-${crypto.randomUUID()}`, text: 'still here' });
    const last = await reader.q.take(
      (f) => f.type === 'message' && (f.message as { text: string }).text === 'still here',
      30_000,
      'message after the drop',
    );
    // After the two join notices and the `total` messages.
    expect(last.seq).toBe(2 + total + 1);
  });
});
