/**
 * The platform floor: `/room/<name>` upgrades to a WebSocket held by one hibernating Durable
 * Object per name, which relays every frame to the room's other sockets. No auth, no storage,
 * no parsing — whatever this costs, Parlor cannot cost less.
 *
 * With `DURABLE=1` (the bench's "durable floor") each frame is first written to the object's
 * SQLite, one row per frame, as any chat that acknowledges only what it stored must: the
 * runtime holds the relayed frames until that write is on disk (the output gate), so this
 * floor pays the disk's write latency and the plain one does not.
 */
import { DurableObject } from 'cloudflare:workers';

export class FloorRoom extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    // Answered by the runtime without waking the object, as Parlor's presence pings are.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    this.durable = env.DURABLE === '1';
    if (this.durable) ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS log (frame TEXT)');
  }

  async fetch() {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  webSocketMessage(sender, frame) {
    if (this.durable) this.ctx.storage.sql.exec('INSERT INTO log (frame) VALUES (?)', frame);
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === sender) continue;
      try {
        ws.send(frame);
      } catch {
        // A socket closing mid-broadcast is not the sender's problem.
      }
    }
  }

  webSocketClose(ws, code) {
    // Before compatibility date 2026-04-07 the close had to be echoed by hand; harmless after.
    try {
      ws.close(code === 1005 ? 1000 : code);
    } catch {}
  }
}

export default {
  fetch(request, env) {
    const match = /^\/room\/([\w.-]{1,64})$/.exec(new URL(request.url).pathname);
    if (!match) return new Response('floor: GET /room/<name> with Upgrade: websocket\n');
    if (request.headers.get('upgrade') !== 'websocket') {
      return new Response('expected a WebSocket upgrade', { status: 426 });
    }
    return env.ROOM.get(env.ROOM.idFromName(match[1])).fetch(request);
  },
};
