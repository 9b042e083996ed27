/**
 * Adapter for the floor Durable Object and the raw `ws` server: one WebSocket per client at
 * `/room/<name>`, each frame is one message's text, sent as is.
 */
import WebSocket from 'ws';

export async function prepare({ base, rooms, tag }) {
  const ws = base.replace(/^http/, 'ws');
  return { rooms: Array.from({ length: rooms }, (_, r) => `${ws}/room/${tag}-r${r}`) };
}

/** Resolves once the socket is open; `onText` gets every frame received after that. */
export function connect(ctx, { room }, onText, counters) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(ctx.rooms[room], { perMessageDeflate: false });
    ws.on('message', (data) => {
      counters.frames++;
      onText(data.toString());
    });
    ws.on('close', () => counters.closed++);
    ws.once('open', () =>
      resolve({
        send: (text) => ws.send(text),
        close: () => ws.terminate(),
      }),
    );
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}
