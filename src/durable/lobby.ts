/**
 * The lobby: one socket per signed-in tab, for what is not about the open chat — who is
 * online anywhere, and activity in the user's other chats (unread counts, ordering, a new
 * DM). A room tells the lobby once per burst, not once per message, and the lobby's cost
 * per notice is one frame per connected user: it never grows with anyone's chat list.
 * A single lobby fits one region's worth of users; sharding it by user id is the next step.
 */
import { DurableObject } from 'cloudflare:workers';
import type { ActivityFrame, LobbyFrame, UserRef } from '../shared/protocol';
import { PROTOCOL_VERSION } from '../shared/protocol';
import { Outbox } from './outbox';
import { Presence } from './presence';
import { SESSION_HEADER, USER_HEADER } from './room-info';

export class Lobby extends DurableObject<Env> {
  private readonly outbox = new Outbox<WebSocket>(6000, 20, (ws) => {
    try {
      ws.close(1011, 'Send failed');
    } catch {
      // already closed
    }
  });
  private readonly presence = new Presence(() => this.sockets());

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS room_online (room_id TEXT PRIMARY KEY, online INTEGER NOT NULL)',
    );
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  override async fetch(request: Request): Promise<Response> {
    const user = JSON.parse(request.headers.get(USER_HEADER)!) as UserRef;
    const pair = new WebSocketPair();
    const sessionId = request.headers.get(SESSION_HEADER)!;
    this.presence.size; // loads presence from the sockets before this one is accepted
    this.ctx.acceptWebSocket(pair[1], [user.id, `session:${sessionId}`]);
    pair[1].serializeAttachment({ user });
    const cameOnline = this.presence.add(pair[1], user);
    const hello: LobbyFrame = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      you: user,
      online: this.presence.list(),
    };
    this.outbox.push([pair[1]], JSON.stringify(hello));
    if (cameOnline) this.push(this.sockets(pair[1]), { type: 'online', user });
    const protocol = request.headers.get('sec-websocket-protocol')?.includes('parlor.v1');
    return new Response(null, {
      status: 101,
      webSocket: pair[0],
      headers: protocol ? { 'sec-websocket-protocol': 'parlor.v1' } : {},
    });
  }

  override async webSocketMessage(): Promise<void> {
    // The lobby only speaks; pings are answered by the runtime without waking it.
  }

  override async webSocketClose(ws: WebSocket): Promise<void> {
    const { user } = ws.deserializeAttachment() as { user: UserRef };
    if (this.presence.remove(ws, user)) this.push(this.sockets(ws), { type: 'offline', user });
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.webSocketClose(ws);
  }

  /** New messages in a room: to its two members for a DM, to everyone otherwise. */
  async activity(frame: ActivityFrame, members: string[] | null, online: number): Promise<void> {
    await this.setRoomOnline(frame.roomId, online);
    const targets = members
      ? members.flatMap((id) => this.ctx.getWebSockets(id)).filter(isOpen)
      : this.sockets();
    this.push(targets, frame);
  }

  async setRoomOnline(roomId: string, online: number): Promise<void> {
    this.ctx.storage.sql.exec(
      `INSERT INTO room_online (room_id, online) VALUES (?, ?)
       ON CONFLICT (room_id) DO UPDATE SET online = excluded.online`,
      roomId,
      online,
    );
  }

  async roomOnline(): Promise<Record<string, number>> {
    const rows = this.ctx.storage.sql
      .exec<{ room_id: string; online: number }>('SELECT room_id, online FROM room_online')
      .toArray();
    return Object.fromEntries(rows.map((r) => [r.room_id, r.online]));
  }

  async online(): Promise<UserRef[]> {
    return this.presence.list();
  }

  async disconnectSession(sessionId: string): Promise<void> {
    for (const ws of this.ctx.getWebSockets(`session:${sessionId}`))
      ws.close(1008, 'Session ended');
  }

  private sockets(except?: WebSocket): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => ws !== except && isOpen(ws));
  }

  private push(targets: WebSocket[], frame: LobbyFrame): void {
    this.outbox.push(targets, JSON.stringify(frame));
  }
}

function isOpen(ws: WebSocket): boolean {
  return ws.readyState === WebSocket.OPEN;
}
