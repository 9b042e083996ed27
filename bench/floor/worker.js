/**
 * The platform floor: `/room/<name>` upgrades to a WebSocket held by one hibernating Durable
 * Object per name, which relays every frame to the room's other sockets. No auth, no storage,
 * no parsing — whatever this costs, Parlor cannot cost less.
 *
 * With `DURABLE=1` (the bench's "durable floor") each frame is first written to the object's
 * SQLite, one row per frame, as any chat that acknowledges only what it stored must: the
 * runtime holds the relayed frames until that write is on disk (the output gate), so this
 * floor pays the disk's write latency and the plain one does not.
 *
 * With `D1_COPY=1` as well (the "D1 floor") the stored frames are also copied to D1 in one
 * batch per 100 ms, as Parlor copies its log for history and search. Locally D1 runs inside
 * the same workerd process, pinned to the same core as the room, so its cost lands on the
 * room's latency here (in production D1 is a separate service).
 */
import { DurableObject } from 'cloudflare:workers';

export class FloorRoom extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    // Answered by the runtime without waking the object, as Parlor's presence pings are.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    this.durable = env.DURABLE === '1';
    if (this.durable) ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS log (frame TEXT)');
    this.d1 = env.D1_COPY === '1' ? env.DB : null;
    this.pending = [];
  }

  /** Copies the frames stored since the last copy to D1, 100 ms after the first of them. */
  copyToD1(frame) {
    this.pending.push(frame);
    if (this.pending.length > 1) return;
    setTimeout(async () => {
      const frames = this.pending;
      this.pending = [];
      await this.d1.exec('CREATE TABLE IF NOT EXISTS log (frame TEXT)');
      const insert = this.d1.prepare('INSERT INTO log (frame) VALUES (?)');
      await this.d1.batch(frames.map((f) => insert.bind(f)));
    }, 100);
  }

  async fetch() {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  webSocketMessage(sender, frame) {
    if (this.durable) this.ctx.storage.sql.exec('INSERT INTO log (frame) VALUES (?)', frame);
    if (this.d1) this.copyToD1(frame);
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
