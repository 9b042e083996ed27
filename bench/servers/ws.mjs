/**
 * The floor of this machine: a raw `ws` server relaying each frame to the other sockets of
 * its room (`/room/<name>`). Usage: node bench/servers/ws.mjs <port>
 */
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 8080);
const rooms = new Map();
const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });

wss.on('connection', (ws, req) => {
  const name = /^\/room\/([\w.-]{1,64})$/.exec(req.url ?? '')?.[1];
  if (!name) return ws.close(1008, 'GET /room/<name>');
  const room = rooms.get(name) ?? new Set();
  rooms.set(name, room);
  room.add(ws);
  ws.on('message', (data, isBinary) => {
    if (!isBinary && data.toString() === 'ping') return ws.send('pong');
    for (const peer of room) if (peer !== ws) peer.send(data, { binary: isBinary });
  });
  ws.on('close', () => {
    room.delete(ws);
    if (room.size === 0) rooms.delete(name);
  });
});
wss.on('listening', () => console.log(`ws broadcast server on 127.0.0.1:${port}`));
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
