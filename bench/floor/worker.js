/**
 * The platform floor: `/room/<name>` upgrades to a WebSocket held by one hibernating Durable
 * Object per name, which relays every frame to the room's other sockets. No auth, no storage,
 * no parsing — whatever this costs, Parlor cannot cost less.
 */
import { DurableObject } from 'cloudflare:workers';

export class FloorRoom extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    // Answered by the runtime without waking the object, as Parlor's presence pings are.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  async fetch() {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  webSocketMessage(sender, frame) {
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
