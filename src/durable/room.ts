/**
 * One Durable Object per chat (the global room, each public room, each DM pair). It holds
 * the chat's WebSockets through the hibernation API and puts every event in one order:
 * `seq` is assigned synchronously in EventLog before any await, the event is written to the
 * object's own SQLite (so the acknowledgement, held by the output gate, leaves only once it
 * is durable), then broadcast, then copied to D1 in batches.
 */
import { DurableObject } from 'cloudflare:workers';
import type { ErrorCode } from '../shared/errors';
import { LIMITS } from '../shared/limits';
import type { RoomEvent, ServerFrame, UserRef } from '../shared/protocol';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../shared/protocol';
import { Connections, refuse } from './connections';
import { parseCursor } from './cursor';
import type { D1Stats } from './d1-sync';
import { syncStatements } from './d1-sync';
import { EventLog } from './event-log';
import { parseClientFrame } from './frames';
import { InOrder } from './in-order';
import { Outbox } from './outbox';
import { MessageTokens, SocketLeases } from './quota-client';
import { ROOM_OBJECT_PREFIX } from './quota-rules';
import { RateLimiter } from './rate-limit';
import type { RoomInfo } from './room-info';
import { lobbyStub, ROOM_INFO_HEADER, SESSION_HEADER, USER_HEADER } from './room-info';

// Flush to D1 at most this many events per batch; the rest go in the next one.
const SYNC_BATCH = 2000;
// If a D1 copy fails (or the object is evicted first) the alarm retries it.
const SYNC_RETRY_MS = 5000;
// Events wait this long for company before a copy to D1 starts.
const SYNC_LINGER_MS = 100;
// The lobby's per-room online count is refreshed at most this often.
const ONLINE_REPORT_MS = 1000;
// Activity notices for chat lists leave at most this often per room.
const ACTIVITY_INTERVAL_MS = 250;
// A room's frame budget: below it frames leave at once, above it they share batch frames.
const FRAMES_PER_SECOND = 6000;
const FRAME_PERIOD_MS = 20;

export class Room extends DurableObject<Env> {
  private readonly log: EventLog;
  private readonly outbox = new Outbox<WebSocket>(FRAMES_PER_SECOND, FRAME_PERIOD_MS, (ws, why) =>
    why === 'too_slow'
      ? this.drop(ws, CLOSE_CODES.resume, 'Too far behind; reconnect and resume')
      : this.drop(ws, CLOSE_CODES.serverError, 'Send failed'),
  );
  private readonly limiter: RateLimiter;
  private readonly typingAt = new Map<string, number>();
  // Sockets and messages per user across all chats (UserQuota).
  private readonly sockets = new Connections(
    this.ctx,
    new SocketLeases(this.env, () => ROOM_OBJECT_PREFIX + this.info!.id),
  );
  private readonly tokens = new MessageTokens(this.env);
  private readonly inOrder = new InOrder<WebSocket>();
  private readonly presence = this.sockets.presence;
  private checkedUnflushed = false;
  private onlineReport = false;
  private info: RoomInfo | null;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private syncTimer = false;
  private alarmArmed = false;
  private activity: { count: number; last: RoomEvent | null; timer: boolean } = {
    count: 0,
    last: null,
    timer: false,
  };
  private readonly stats: D1Stats & { events: number } = {
    d1Statements: 0,
    d1Batches: 0,
    events: 0,
  };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const [stored] = sql
      .exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'info'`)
      .toArray();
    this.info = stored ? (JSON.parse(stored.value) as RoomInfo) : null;
    this.log = new EventLog(sql, () => this.info!.id, LIMITS.replayEvents);
    this.limiter = new RateLimiter(
      Number(env.MESSAGE_BURST) || 10,
      Number(env.MESSAGE_RATE_PER_SECOND) || 2,
    );
    // Idle sockets answer pings without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** The WebSocket upgrade, forwarded by the Worker after it checked session, Origin and membership. */
  override async fetch(request: Request): Promise<Response> {
    this.remember(JSON.parse(request.headers.get(ROOM_INFO_HEADER)!) as RoomInfo);
    const user = JSON.parse(request.headers.get(USER_HEADER)!) as UserRef;
    const sessionId = request.headers.get(SESSION_HEADER)!;
    const after = parseCursor(new URL(request.url).searchParams);

    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    const protocol = request.headers.get('sec-websocket-protocol')?.includes('parlor.v1');
    const response = new Response(null, {
      status: 101,
      webSocket: client,
      headers: protocol ? { 'sec-websocket-protocol': 'parlor.v1' } : {},
    });
    if (after === 'invalid') {
      refuse(server, CLOSE_CODES.policy, {
        type: 'error',
        code: 'invalid_cursor',
        message: '`after` must be a seq: a non-negative integer',
      });
      return response;
    }
    const cameOnline = await this.sockets.accept(server, user, sessionId);
    if (cameOnline === null) return response;

    const hello: ServerFrame = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      roomId: this.info!.id,
      you: user,
      seq: this.log.lastSeq,
      online: this.presence.list(),
    };
    this.outbox.push([server], JSON.stringify(hello));
    if (after !== null) this.replay(server, after);
    if (cameOnline) {
      this.broadcast({ type: 'online', user }, user.id);
      this.reportOnline();
    }
    if (!this.checkedUnflushed) {
      // Events left un-copied by an earlier instance (the alarm would get them too).
      this.checkedUnflushed = true;
      if (this.log.hasUnflushed()) this.scheduleSync();
    }
    return response;
  }

  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    return this.inOrder.run(ws, () => this.handle(ws, data));
  }

  private async handle(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const user = this.sockets.userOf(ws);
    // Dropped by the server (logout, leave, too slow): the client ignored the close frame.
    if (!user) return;
    if (tooLarge(data)) {
      this.sendError(ws, 'frame_too_large', `Frames are limited to ${LIMITS.frameBytes} bytes`);
      this.outbox.flush();
      this.drop(ws, 1009, 'Frame too large');
      return;
    }
    const parsed = parseClientFrame(data);
    if (!parsed.ok) return this.sendError(ws, parsed.code, parsed.message, parsed.ref);
    const frame = parsed.frame;

    if (frame.type === 'typing') return this.typing(user);

    if (frame.type === 'send') {
      // A retry gets its original acknowledgement, nothing stored or broadcast; before the
      // rate limit, which counts only what would be stored.
      const existing = this.log.findByClientId(user.id, frame.clientId);
      if (existing) {
        return this.sendTo(ws, { type: 'ack', clientId: frame.clientId, ...ackOf(existing) });
      }
    }

    const ref = frame.type === 'send' ? frame.clientId : frame.target;
    const waitMs = this.limiter.take(user.id);
    if (waitMs > 0) {
      return this.sendError(ws, 'rate_limited', 'You are sending too fast', ref, waitMs);
    }
    // Then the user's rate across all chats; usually a token the room already holds.
    const taken = this.tokens.take(user.id);
    const waitAllMs = typeof taken === 'number' ? taken : await taken;
    if (waitAllMs > 0) {
      this.limiter.refund(user.id);
      return this.sendError(
        ws,
        'rate_limited',
        'You are sending too fast across your chats',
        ref,
        waitAllMs,
      );
    }
    // The socket may have been dropped (logout, leave) while the token was leased.
    if (this.sockets.userOf(ws) === null) return;

    if (frame.type === 'send') {
      const event = this.log.appendMessage(user, frame.clientId, frame.text);
      const { id, createdAt } = event.message;
      this.sendTo(ws, { type: 'ack', clientId: frame.clientId, seq: event.seq, id, createdAt });
      return this.commit(event);
    }

    const check = await this.canChange(user, frame.target);
    if (check) return this.sendError(ws, check.code, check.message, frame.target);
    const event =
      frame.type === 'edit'
        ? this.log.appendEdit(user, frame.target, frame.text)
        : this.log.appendDelete(user, frame.target);
    this.commit(event);
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.wentOffline(this.sockets.closed(ws, code));
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.wentOffline(this.sockets.closed(ws));
  }

  override async alarm(): Promise<void> {
    this.alarmArmed = false;
    if (this.info && this.log.hasUnflushed()) await this.sync();
  }

  // --- RPC from the Worker -------------------------------------------------------------

  /** Announces a membership change and, on leave, closes that user's sockets here. */
  async membership(info: RoomInfo, kind: 'joined' | 'left', user: UserRef): Promise<void> {
    this.remember(info);
    this.broadcast({ type: kind, user, at: Date.now() });
    if (kind === 'left') {
      for (const ws of this.sockets.tagged(user.id))
        this.drop(ws, CLOSE_CODES.normal, 'Left the room');
    }
  }

  /** Closes every socket opened under a session that has ended. */
  async disconnectSession(sessionId: string): Promise<void> {
    for (const ws of this.sockets.tagged(`session:${sessionId}`))
      this.drop(ws, CLOSE_CODES.policy, 'Session ended');
  }

  /**
   * A member renamed: live frames from their sockets, the online list and replays carry the
   * new name from now on, and every client here is told (`user` frame).
   */
  async userUpdated(user: UserRef): Promise<void> {
    this.sockets.rename(user);
    this.log.renameAuthor(user);
    this.broadcast({ type: 'user', user });
  }

  /** The UserQuota leases of `userId`'s sockets still open here (it reconciles with them). */
  async openLeases(userId: string): Promise<string[]> {
    return this.sockets.openLeases(userId);
  }

  async onlineCount(): Promise<number> {
    return this.presence.size;
  }

  /** Who has a socket open here now, each user once (`GET /api/rooms/:id`). */
  async onlineUsers(): Promise<UserRef[]> {
    return this.presence.list();
  }

  /** The room's newest seq (read cursors are clamped to it). */
  async lastSeq(): Promise<number> {
    return this.log.lastSeq;
  }

  /** Write-path counters, for the benchmark (the Worker exposes them only when BENCH=1). */
  async getStats(): Promise<D1Stats & { events: number; lastSeq: number }> {
    return { ...this.stats, lastSeq: this.log.lastSeq };
  }

  /** Waits until every event is in D1 (tests and the benchmark). */
  async drain(): Promise<number> {
    while (this.info && this.log.hasUnflushed()) await this.sync();
    return this.log.lastSeq;
  }

  // --- internals -----------------------------------------------------------------------

  private remember(info: RoomInfo): void {
    if (this.info?.id === info.id) return;
    this.info = info;
    this.ctx.storage.sql.exec(
      `INSERT INTO meta (key, value) VALUES ('info', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      JSON.stringify(info),
    );
  }

  /** Broadcasts a stored event, then schedules its copy to D1 and the chat-list notice. */
  private commit(event: RoomEvent): void {
    this.stats.events += 1;
    this.broadcast(event);
    this.scheduleSync();
    if (event.type === 'message') this.noteActivity(event);
  }

  /**
   * Exactly the events after `after`, then `caught_up`; or `resync` when that gap is not all
   * kept or is longer than LIMITS.replayEvents. Never a prefix of the gap.
   */
  private replay(ws: WebSocket, after: number): void {
    const last = this.log.lastSeq;
    if (after === last) return this.sendTo(ws, { type: 'caught_up', seq: last });
    if (after > last) {
      return this.sendTo(ws, {
        type: 'resync',
        seq: last,
        reason: 'The cursor is ahead of the room',
      });
    }
    const gap = last - after;
    if (gap > LIMITS.replayEvents || after + 1 < this.log.oldestSeq()) {
      return this.sendTo(ws, {
        type: 'resync',
        seq: last,
        reason: 'The gap is too large to replay; load history',
      });
    }
    for (const event of this.log.since(after, gap)) this.sendTo(ws, event);
    this.sendTo(ws, { type: 'caught_up', seq: last });
  }

  /** Who may edit or delete: the author, of a message that exists and is not deleted. */
  private async canChange(
    user: UserRef,
    target: number,
  ): Promise<{ code: ErrorCode; message: string } | null> {
    let state = this.log.messageState(target);
    if (!state && target <= this.log.lastSeq) {
      const row = await this.env.DB.prepare(
        'SELECT author_id, deleted_at FROM messages WHERE room_id = ? AND seq = ?',
      )
        .bind(this.info!.id, target)
        .first<{ author_id: string; deleted_at: number | null }>();
      state = row && { authorId: row.author_id, deleted: row.deleted_at !== null };
    }
    if (!state || state.deleted)
      return { code: 'message_not_found', message: `No message ${target}` };
    if (state.authorId !== user.id) {
      return { code: 'not_author', message: 'Only the author can change a message' };
    }
    return null;
  }

  /** To everyone else: not to the typist's own other tabs. */
  private typing(user: UserRef): void {
    const now = Date.now();
    if (now - (this.typingAt.get(user.id) ?? 0) < LIMITS.typingIntervalMs) return;
    this.typingAt.set(user.id, now);
    this.broadcast({ type: 'typing', user }, user.id);
  }

  /** Closes a socket from this side, for good (connections.ts). */
  private drop(ws: WebSocket, code: number, reason: string): void {
    this.wentOffline(this.sockets.drop(ws, code, reason));
  }

  private wentOffline(user: UserRef | null): void {
    if (!user) return;
    this.broadcast({ type: 'offline', user });
    this.reportOnline();
  }

  /**
   * Keeps the lobby's per-room online count (shown in the room browser) current, at most
   * once a second however many people come and go.
   */
  private reportOnline(): void {
    if (!this.info || this.info.kind === 'dm' || this.onlineReport) return;
    this.onlineReport = true;
    setTimeout(() => {
      this.onlineReport = false;
      lobbyStub(this.env)
        .setRoomOnline(this.info!.id, this.presence.size)
        .catch(() => {});
    }, ONLINE_REPORT_MS);
  }

  /** To every live socket here, except those of `exceptUser`. */
  private broadcast(frame: ServerFrame, exceptUser?: string): void {
    this.outbox.push(this.sockets.targets(exceptUser), JSON.stringify(frame));
  }

  private sendTo(ws: WebSocket, frame: ServerFrame): void {
    this.outbox.push([ws], JSON.stringify(frame));
  }

  private sendError(
    ws: WebSocket,
    code: ErrorCode,
    message: string,
    ref?: string | number,
    retryAfterMs?: number,
  ): void {
    this.sendTo(ws, {
      type: 'error',
      code,
      message,
      ...(ref !== undefined && { ref }),
      ...(retryAfterMs && { retryAfterMs }),
    });
  }

  // --- D1 copy -------------------------------------------------------------------------

  /**
   * Copies to D1 after SYNC_LINGER_MS, so a steady trickle of messages shares batches too.
   * Acks never wait for this; only history read from D1 lags by it.
   */
  private scheduleSync(): void {
    if (!this.alarmArmed) {
      this.alarmArmed = true;
      void this.ctx.storage.setAlarm(Date.now() + SYNC_RETRY_MS);
    }
    if (this.syncTimer) return;
    this.syncTimer = true;
    setTimeout(() => {
      this.syncTimer = false;
      this.sync().catch((err) => console.error('room sync failed; the alarm retries', err));
    }, SYNC_LINGER_MS);
  }

  /** One copy at a time; events arriving meanwhile go in the next batch (group commit). */
  private async sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.syncAgain = false;
          const rows = this.log.unflushed(SYNC_BATCH);
          if (rows.length === 0) break;
          const statements = syncStatements(this.env.DB, this.info!.id, rows);
          await this.env.DB.batch(statements);
          this.stats.d1Statements += statements.length;
          this.stats.d1Batches += 1;
          this.log.markFlushed(rows[rows.length - 1]!.seq);
          if (rows.length === SYNC_BATCH) this.syncAgain = true;
        } while (this.syncAgain);
        // Everything is in D1: drop the retry alarm, whose firing would wake the object and
        // keep it from hibernating.
        if (this.alarmArmed && !this.log.hasUnflushed()) {
          this.alarmArmed = false;
          void this.ctx.storage.deleteAlarm();
        }
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  // --- chat-list activity ----------------------------------------------------------------

  private noteActivity(event: RoomEvent): void {
    this.activity.count += 1;
    this.activity.last = event;
    if (this.activity.timer) return;
    this.activity.timer = true;
    setTimeout(() => void this.sendActivity(), ACTIVITY_INTERVAL_MS);
  }

  private async sendActivity(): Promise<void> {
    const { count, last } = this.activity;
    this.activity = { count: 0, last: null, timer: false };
    if (!last || last.type !== 'message' || !this.info) return;
    const lobby = lobbyStub(this.env);
    try {
      await lobby.activity(
        {
          type: 'activity',
          roomId: this.info.id,
          kind: this.info.kind,
          seq: this.log.lastSeq,
          count,
          at: last.message.createdAt,
          last: last.message,
        },
        this.info.members ?? null,
        this.presence.size,
      );
    } catch (err) {
      console.error('activity notice failed', err);
    }
  }
}

/**
 * Whether a frame exceeds LIMITS.frameBytes, encoding it only when its length leaves the
 * answer open: UTF-8 takes 1–3 bytes per UTF-16 unit, so most frames need no copy.
 */
function tooLarge(data: string | ArrayBuffer): boolean {
  const limit = LIMITS.frameBytes;
  if (typeof data !== 'string') return data.byteLength > limit;
  if (data.length > limit) return true;
  if (data.length * 3 <= limit) return false;
  return new TextEncoder().encode(data).byteLength > limit;
}

function ackOf(existing: { seq: number; id: string; at: number }) {
  return { seq: existing.seq, id: existing.id, createdAt: existing.at };
}
