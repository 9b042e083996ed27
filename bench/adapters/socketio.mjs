/** Adapter for the Socket.IO server: WebSocket transport only, room named in the handshake. */
import { io } from 'socket.io-client';

export async function prepare({ base, rooms, tag }) {
  return { base, rooms: Array.from({ length: rooms }, (_, r) => `${tag}-r${r}`) };
}

export function connect(ctx, { room }, onText, counters) {
  return new Promise((resolve, reject) => {
    const socket = io(ctx.base, {
      transports: ['websocket'],
      query: { room: ctx.rooms[room] },
      reconnection: false,
      forceNew: true,
      timeout: 30_000,
    });
    socket.on('msg', (text) => {
      counters.frames++;
      onText(text);
    });
    socket.on('disconnect', () => counters.closed++);
    socket.once('connect', () =>
      resolve({
        send: (text) => socket.emit('msg', text),
        close: () => socket.disconnect(),
      }),
    );
    socket.once('connect_error', reject);
  });
}
