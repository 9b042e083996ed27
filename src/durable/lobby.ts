/**
 * The lobby: one socket per signed-in tab, for what is not about the open chat — who is
 * online anywhere, and activity in the user's other chats (unread counts, ordering, a new
 * DM). A room tells the lobby once per burst, not once per message, and the lobby's cost
 * per notice is one frame per connected user: it never grows with anyone's chat list.
 * A single lobby fits one region's worth of users; sharding it by user id is the next step.
 */
import { DurableObject } from 'cloudflare:workers';
import type { ActivityFrame, LobbyFrame, UserRef } from '../shared/protocol';
import {
  CLOSE_CODES,
  LOBBY_CLIENT_FRAME_TYPES,
  lobbyClientFrame,
  PROTOCOL_VERSION,
} from '../shared/protocol';
import { Connections } from './connections';
import { parseClientFrame } from './frames';
import { Outbox } from './outbox';
import { SocketLeases } from './quota-client';
import { SESSION_HEADER, USER_HEADER } from './room-info';

export class Lobby extends DurableObject<Env> {
  private readonly outbox = new Outbox<WebSocket>(6000, 20, (ws, why) =>
    why === 'too_slow'
      ? this.drop(ws, CLOSE_CODES.resume, 'Too far behind; reconnect')
      : this.drop(ws, CLOSE_CODES.serverError, 'Send failed'),
  );
  private readonly sockets = new Connections(this.ctx, new SocketLeases(this.env, () => 'lobby'));
  private readonly presence = this.sockets.presence;

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
    const protocol = request.headers.get('sec-websocket-protocol')?.includes('parlor.v1');
    const response = new Response(null, {
      status: 101,
      webSocket: pair[0],
      headers: protocol ? { 'sec-websocket-protocol': 'parlor.v1' } : {},
    });
    const cameOnline = await this.sockets.accept(pair[1], user, sessionId);
    if (cameOnline === null) return response;
    const hello: LobbyFrame = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      you: user,
      online: this.presence.list(),
    };
    this.outbox.push([pair[1]], JSON.stringify(hello));
    if (cameOnline) this.push(this.sockets.targets(user.id), { type: 'online', user });
    return response;
  }

  /**
   * The lobby mostly speaks: pings are answered by the runtime without waking it, and the
   * only frame it takes is a receipt (flow control, see Outbox).
   */
  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    if (!this.sockets.userOf(ws)) return; // dropped: whatever it says takes no effect
    const parsed = parseClientFrame(data, lobbyClientFrame, LOBBY_CLIENT_FRAME_TYPES);
    if (parsed.ok) return this.outbox.received(ws, parsed.frame.chars);
    const error: LobbyFrame = {
      type: 'error',
      code: parsed.code,
      message: parsed.message,
      ...(parsed.ref !== undefined && { ref: parsed.ref }),
    };
    this.outbox.push([ws], JSON.stringify(error));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.wentOffline(this.sockets.closed(ws, code));
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.wentOffline(this.sockets.closed(ws));
  }

  /** New messages in a room: to its two members for a DM, to everyone otherwise. */
  async activity(frame: ActivityFrame, members: string[] | null, online: number): Promise<void> {
    await this.setRoomOnline(frame.roomId, online);
    const targets = members
      ? members.flatMap((id) => this.sockets.tagged(id)).filter((ws) => this.sockets.userOf(ws))
      : this.sockets.targets();
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

  /** The UserQuota leases of `userId`'s sockets still open here (it reconciles with them). */
  async openLeases(userId: string): Promise<string[]> {
    return this.sockets.openLeases(userId);
  }

  async disconnectSession(sessionId: string): Promise<void> {
    for (const ws of this.sockets.tagged(`session:${sessionId}`))
      this.drop(ws, CLOSE_CODES.policy, 'Session ended');
  }

  /** A renamed user: the online list and every tab are told the new name (`user` frame). */
  async userUpdated(user: UserRef): Promise<void> {
    this.sockets.rename(user);
    this.push(this.sockets.targets(), { type: 'user', user });
  }

  private drop(ws: WebSocket, code: number, reason: string): void {
    this.wentOffline(this.sockets.drop(ws, code, reason));
  }

  private wentOffline(user: UserRef | null): void {
    if (user) this.push(this.sockets.targets(), { type: 'offline', user });
  }

  private push(targets: WebSocket[], frame: LobbyFrame): void {
    this.outbox.push(targets, JSON.stringify(frame));
  }
}
