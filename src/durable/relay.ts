/**
 * A relay: one of the objects that carry a big room's live stream to sockets the room does
 * not hold itself (a fan-out tree one level deep; relays.ts has the room's side). The room
 * stays the only object that assigns `seq`, stores events and answers frames; a relay
 * holds sockets, writes the room's stream to them through its own Outbox (same batching and
 * receipts as a room), forwards what its clients send, and reports who is online here.
 *
 * The stream is ordered, so a relay needs no replay of its own: a new socket's hello and
 * replay arrive in the stream as entries `to` it, and it takes part in broadcasts from there.
 * If the stream breaks (a lost delivery: a gap in `seq`, or the room retired this relay),
 * every socket here is closed with 4000 and its client resumes from its last seq.
 */
import { DurableObject } from 'cloudflare:workers';
import type { ErrorCode } from '../shared/errors';
import type { ClientFrame, ServerFrame, UserRef } from '../shared/protocol';
import { CLOSE_CODES } from '../shared/protocol';
import { attachmentOf, Connections, upgrade } from './connections';
import { readRoomFrame } from './frames';
import { InOrder } from './in-order';
import { frameBudget, Outbox } from './outbox';
import { SocketLeases } from './quota-client';
import { RELAY_OBJECT_PREFIX } from './quota-rules';
import {
  RELAY_HEADER,
  type RelayEntry,
  type RelayPresence,
  type RelayTicket,
} from './relay-protocol';
import { relayName } from './relays';
import { SESSION_HEADER, USER_HEADER } from './room-info';

// The same frame budget as a room's: a relay is a room's outbox somewhere else.
// How long a socket's first frames and its upgrade may wait for each other.
const HANDSHAKE_MS = 30_000;

interface Buffered {
  data: string;
  except?: string;
  only?: string[];
}

export class Relay extends DurableObject<Env> {
  private ticket: Omit<RelayTicket, 'sid'> | null;
  private readonly outbox = new Outbox<WebSocket>(frameBudget(this.env), (ws, why) =>
    why === 'too_slow'
      ? this.drop(ws, CLOSE_CODES.resume, 'Too far behind; reconnect and resume')
      : this.drop(ws, CLOSE_CODES.serverError, 'Send failed'),
  );
  private readonly sockets = new Connections(
    this.ctx,
    new SocketLeases(this.env, () => `${RELAY_OBJECT_PREFIX}${this.name()}`),
  );
  private readonly inOrder = new InOrder<WebSocket>();
  /** Frames for sockets whose upgrade has not arrived yet, by socket id. */
  private readonly early = new Map<string, Buffered[]>();
  /** Accepted sockets whose hello has not arrived yet: broadcasts before it are not theirs. */
  private readonly waiting = new Set<string>();
  /** Each half-done handshake's deadline (cleared when it completes, so the relay may hibernate). */
  private readonly deadlines = new Map<string, ReturnType<typeof setTimeout>>();
  /** The newest seq the stream carried (in memory: a new instance starts from the next one). */
  private lastSeq: number | null = null;
  private readonly reports: PresenceReports;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
    );
    const [stored] = ctx.storage.sql
      .exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'ticket'`)
      .toArray();
    this.ticket = stored ? (JSON.parse(stored.value) as Omit<RelayTicket, 'sid'>) : null;
    this.reports = new PresenceReports(
      () => this.roomStub(),
      () => this.ticket!.k,
      () => this.sockets.presence.list(),
      () => this.socketCount(),
    );
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** An upgrade the room forwarded here, with the ticket naming this relay and the socket. */
  override async fetch(request: Request): Promise<Response> {
    const ticket = JSON.parse(request.headers.get(RELAY_HEADER)!) as RelayTicket;
    this.remember(ticket);
    const user = JSON.parse(request.headers.get(USER_HEADER)!) as UserRef;
    const sessionId = request.headers.get(SESSION_HEADER)!;
    const { server: ws, response } = upgrade(request);
    const cameOnline = await this.sockets.accept(ws, user, sessionId, ticket.sid);
    if (cameOnline === null) {
      this.early.delete(ticket.sid);
      return response;
    }
    const early = this.early.get(ticket.sid);
    if (early) {
      this.early.delete(ticket.sid);
      this.clearDeadline(ticket.sid);
      const frames = early
        .filter((b) => b.except !== user.id && (!b.only || b.only.includes(user.id)))
        .map((b) => b.data);
      for (const data of frames) this.outbox.push([ws], data);
    } else {
      this.waiting.add(ticket.sid);
      this.setDeadline(ticket.sid, () => {
        if (this.waiting.delete(ticket.sid)) {
          this.drop(ws, CLOSE_CODES.resume, 'The room did not answer; reconnect');
        }
      });
    }
    if (cameOnline) this.reports.added(user);
    return response;
  }

  override webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    return this.inOrder.run(ws, () => this.handle(ws, data));
  }

  private async handle(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const user = this.sockets.userOf(ws);
    if (!user) return;
    const read = readRoomFrame(data);
    if (!read.ok) {
      this.outbox.push([ws], JSON.stringify(read.error));
      if (!read.tooLarge) return;
      this.outbox.flush();
      return this.drop(ws, CLOSE_CODES.tooLarge, 'Frame too large');
    }
    const frame = read.frame;
    if (frame.type === 'received') return this.outbox.received(ws, frame.chars);
    // The room's answer (ack or error) comes back in the stream, ahead of the event.
    try {
      await this.roomStub().relayed(this.ticket!.k, attachmentOf(ws).sid!, user, frame);
    } catch (err) {
      console.error('relayed frame failed', err);
      const ref =
        frame.type === 'send' ? frame.clientId : 'target' in frame ? frame.target : undefined;
      this.sendError(ws, 'server_busy', 'The room did not answer; try again', ref);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.wentOffline(this.sockets.closed(ws, code));
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.wentOffline(this.sockets.closed(ws));
  }

  // --- RPC from the room ----------------------------------------------------------------

  /** The next entries of the room's stream, in order. Answers how many sockets are here. */
  async deliver(entries: RelayEntry[]): Promise<{ sockets: number }> {
    let broken = false;
    for (const entry of entries) {
      // A relay with no socket missed nothing: the stream starts again where the room is
      // (it may have been retired, and the room's seq moved on meanwhile).
      if (entry.base !== undefined && !this.streaming()) {
        this.lastSeq = entry.base;
      }
      if (entry.seq !== undefined) {
        if (this.lastSeq !== null && entry.seq > this.lastSeq + 1) broken = true;
        this.lastSeq = Math.max(this.lastSeq ?? 0, entry.seq);
      }
      if (entry.to !== undefined) this.deliverTo(entry.to, entry.data);
      else this.broadcast(entry);
    }
    if (broken) await this.reset();
    return { sockets: this.socketCount() };
  }

  /** The stream broke: every socket here resumes through the room. */
  async reset(): Promise<void> {
    this.early.clear();
    for (const ws of this.ctx.getWebSockets())
      this.drop(ws, CLOSE_CODES.resume, 'Reconnect and resume');
  }

  /** Closes the sockets of a user (they left) or of a session (it ended). */
  async disconnect(tag: string, code: number, reason: string): Promise<void> {
    for (const ws of this.sockets.tagged(tag)) this.drop(ws, code, reason);
  }

  /** A renamed user: attachments and the online list here carry the new name. */
  async renamed(user: UserRef): Promise<void> {
    this.sockets.rename(user);
  }

  /** The UserQuota leases of `userId`'s sockets still open here (it reconciles with them). */
  async openLeases(userId: string): Promise<string[]> {
    return this.sockets.openLeases(userId);
  }

  // --- internals ------------------------------------------------------------------------

  private deliverTo(sid: string, data: string): void {
    const [ws] = this.sockets.tagged(`sid:${sid}`);
    if (!ws) {
      const early = this.early.get(sid);
      if (early) early.push({ data });
      else {
        this.early.set(sid, [{ data }]);
        this.setDeadline(sid, () => this.early.delete(sid));
      }
      return;
    }
    if (this.waiting.delete(sid)) this.clearDeadline(sid);
    if (this.sockets.userOf(ws)) this.outbox.push([ws], data);
  }

  private broadcast(entry: RelayEntry): void {
    const only = entry.only && new Set(entry.only);
    const targets = this.sockets
      .targets(entry.except)
      .filter((ws) => this.waiting.size === 0 || !this.waiting.has(attachmentOf(ws).sid!))
      .filter((ws) => !only || only.has(attachmentOf(ws).user.id));
    this.outbox.push(targets, entry.data);
    for (const early of this.early.values())
      early.push({
        data: entry.data,
        ...(entry.except !== undefined && { except: entry.except }),
        ...(entry.only !== undefined && { only: entry.only }),
      });
  }

  private setDeadline(sid: string, expire: () => void): void {
    this.deadlines.set(
      sid,
      setTimeout(() => {
        this.deadlines.delete(sid);
        expire();
      }, HANDSHAKE_MS),
    );
  }

  private clearDeadline(sid: string): void {
    clearTimeout(this.deadlines.get(sid));
    this.deadlines.delete(sid);
  }

  /** Whether any socket here already takes part in the stream (its hello came). */
  private streaming(): boolean {
    for (const ws of this.sockets.presence.sockets())
      if (!this.waiting.has(attachmentOf(ws).sid!)) return true;
    return false;
  }

  private socketCount(): number {
    return this.sockets.presence.sockets().size + this.early.size;
  }

  private drop(ws: WebSocket, code: number, reason: string): void {
    const sid = attachmentOf(ws).sid!;
    if (this.waiting.delete(sid)) this.clearDeadline(sid);
    this.wentOffline(this.sockets.drop(ws, code, reason));
  }

  private wentOffline(user: UserRef | null): void {
    if (user) this.reports.removed(user.id);
    else this.reports.countChanged();
  }

  private remember(ticket: RelayTicket): void {
    if (this.ticket) return;
    this.ticket = { room: ticket.room, k: ticket.k };
    this.ctx.storage.sql.exec(
      `INSERT INTO meta (key, value) VALUES ('ticket', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      JSON.stringify(this.ticket),
    );
  }

  private name(): string {
    return relayName(this.ticket!.room.id, this.ticket!.k);
  }

  private roomStub() {
    return this.env.ROOM.get(this.env.ROOM.idFromName(this.ticket!.room.id));
  }

  private sendError(ws: WebSocket, code: ErrorCode, message: string, ref?: string | number): void {
    const frame: ServerFrame = { type: 'error', code, message, ...(ref !== undefined && { ref }) };
    this.outbox.push([ws], JSON.stringify(frame));
  }
}

/**
 * Who is online here, told to the room: changes coalesced, one report in flight at a time,
 * and the whole list whenever the room may not have the previous one (a new instance, a
 * failed report).
 */
class PresenceReports {
  private full = true;
  private readonly changes = new Map<string, UserRef | null>();
  private dirty = false;
  private running = false;

  constructor(
    private readonly room: () => { relayPresence(k: number, report: RelayPresence): Promise<void> },
    private readonly k: () => number,
    private readonly everyone: () => UserRef[],
    private readonly sockets: () => number,
  ) {}

  added(user: UserRef): void {
    this.changes.set(user.id, user);
    this.countChanged();
  }

  removed(userId: string): void {
    this.changes.set(userId, null);
    this.countChanged();
  }

  /** Only the number of sockets changed (the room places new sockets by it). */
  countChanged(): void {
    this.dirty = true;
    if (this.running) return;
    this.running = true;
    queueMicrotask(() => void this.run());
  }

  private async run(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const report: RelayPresence = this.full
        ? { full: true, added: this.everyone(), removed: [], sockets: this.sockets() }
        : {
            full: false,
            added: [...this.changes.values()].filter((u): u is UserRef => u !== null),
            removed: [...this.changes].filter(([, u]) => u === null).map(([id]) => id),
            sockets: this.sockets(),
          };
      this.changes.clear();
      this.full = false;
      try {
        await this.room().relayPresence(this.k(), report);
      } catch (err) {
        console.error('presence report failed; the next one is the whole list', err);
        this.full = true;
        this.dirty = true;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    this.running = false;
  }
}
