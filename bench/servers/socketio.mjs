/**
 * What a Node user would pick: a minimal Socket.IO server. A client names its room in the
 * handshake query (`?room=<name>`); every `msg` it emits goes to the room's other sockets.
 * Usage: node bench/servers/socketio.mjs <port>
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 8080);
const http = createServer((_req, res) => res.end('socket.io broadcast server\n'));
const io = new Server(http, { serveClient: false, perMessageDeflate: false });

io.on('connection', (socket) => {
  const room = String(socket.handshake.query.room ?? 'lobby');
  socket.join(room);
  socket.on('msg', (text) => socket.to(room).emit('msg', text));
});
http.listen(port, '127.0.0.1', () =>
  console.log(`socket.io broadcast server on 127.0.0.1:${port}`),
);
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
