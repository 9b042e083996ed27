/**
 * One Durable Object per chat (the global room, each public room, each DM pair). It holds
 * the chat's WebSockets through the hibernation API and puts every event in one order:
 * `seq` is assigned synchronously in EventLog before any await, the event is written to the
 * object's own SQLite (so the acknowledgement, held by the output gate, leaves only once it
 * is durable), then broadcast, then copied to D1 in batches.
 */
import { DurableObject } from 'cloudflare:workers';
import type { ErrorCode } from '../shared/errors';
import { COUNTED_NOTICES, type NoticeKind, type RoomRole } from '../shared/moderation';
import { LIMITS } from '../shared/limits';
import type { ClientFrame, RoomEvent, ServerFrame, UserRef } from '../shared/protocol';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../shared/protocol';
import { Connections, refuse, upgrade } from './connections';
import { parseCursor } from './cursor';
import { ActivityNotices } from './activity';
import { addedMentions, mentionsBeforeEdit } from './edit-mentions';
import { withTypedMentions } from './typed-mentions';
import { roomGoneFromLists } from './chat-gone';
import { Attachments } from './attachments';
import { hubOf, hubShardCount, hubShardOf } from './hub-shards';
import { pairBlockers } from './pair-blocks';
import { HubSubscribers } from './hub-subscribers';
import { Reactions } from './reactions';
import { Pins } from './pins';
import { dmMembers } from '../shared/dm';
import { currentAuthors } from './authors';
import { D1Copy } from './d1-copy';
import { messagesOf, refuseIfFaulted } from './erase';
import type { D1Stats } from './d1-sync';
import { EventLog } from './event-log';
import { readRoomFrame } from './frames';
import { InOrder } from './in-order';
import { RoomModeration, type RoomState } from './moderation';
import type { RoomNotice } from '../shared/moderation';
import { frameBudget, Outbox } from './outbox';
import { MessageTokens, SocketLeases } from './quota-client';
import { ROOM_OBJECT_PREFIX } from './quota-rules';
import { replayFrames, replaysEvents } from './replay';
import { RateLimiter } from './rate-limit';
import { RELAY_HEADER, type RelayPresence, type RelayTicket } from './relay-protocol';
import { Relays, type PresenceChanges } from './relays';
import type { RoomInfo } from './room-info';
import { reportRoomOnline } from './room-online';
import { SettingSteps } from './setting-steps';
import { ROOM_INFO_HEADER, ROOM_STATE_HEADER, SESSION_HEADER, USER_HEADER } from './room-info';

// The room's online count in D1 (the room browser's) is refreshed at most this often.
const ONLINE_REPORT_MS = 1000;
// A room's frame budget: below it frames leave at once, above it they share batch frames.
// Sockets a room holds itself, and each of its relays (ROOM_DIRECT_SOCKETS overrides).
const DEFAULT_DIRECT_SOCKETS = 250;

export class Room extends DurableObject<Env> {
  private readonly log: EventLog;
  private readonly outbox = new Outbox<WebSocket>(frameBudget(this.env), (ws, why) =>
    why === 'too_slow'
      ? this.drop(ws, CLOSE_CODES.resume, 'Too far behind; reconnect and resume')
      : this.drop(ws, CLOSE_CODES.serverError, 'Send failed'),
  );
  private readonly limiter: RateLimiter;
  private readonly reactionLimiter: RateLimiter;
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
  private readonly copy: D1Copy;
  private readonly hubs = new HubSubscribers(this.ctx.storage.sql);
  private readonly reactions = new Reactions(this.ctx.storage.sql);
  private readonly pins = new Pins(this.ctx.storage.sql);
  private readonly attachments = new Attachments(this.env, () => this.info!.id);
  private readonly moderation = new RoomModeration(this.ctx.storage.sql);
  private readonly activity = new ActivityNotices(
    this.env,
    this.hubs,
    () => ({
      info: this.gone ? null : this.info,
      lastSeq: this.log.lastSeq,
      private: this.moderation.isPrivate,
    }),
    () => this.onlineList().map((u) => u.id),
    (seq) => this.copy.copied(seq),
  );
  private readonly relays: Relays;
  private events = 0;
  /** The room was deleted (issue 12): nothing more is announced. */
  private gone = false;
  /** Upgrades placed on this object whose socket is not accepted yet. */
  private accepting = 0;
  /** More than LIMITS.presenceListed online: presence goes out as snapshots (announce). */
  private crowded = false;
  private snapshotDue = false;
  /** Setting changes, one step at a time; those that queue meanwhile share the next. */
  private readonly settingSteps = new SettingSteps(() => this.env.DB);

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const [stored] = sql
      .exec<{ value: string }>(`SELECT value FROM meta WHERE key = 'info'`)
      .toArray();
    this.info = stored ? (JSON.parse(stored.value) as RoomInfo) : null;
    this.log = new EventLog(sql, () => this.info!.id, LIMITS.replayEvents);
    this.copy = new D1Copy(ctx, env.DB, this.log, () => this.info!.id);
    this.relays = new Relays(
      sql,
      env,
      () => this.info!.id,
      Number(env.ROOM_DIRECT_SOCKETS) || DEFAULT_DIRECT_SOCKETS,
      (changes) => this.announce(changes),
    );
    // After a restart, relays that lost their sockets are retired (and their users offline).
    if (this.info && this.relays.any) this.relays.probe();
    const burst = Number(env.MESSAGE_BURST) || 10;
    const perSecond = Number(env.MESSAGE_RATE_PER_SECOND) || 2;
    this.limiter = new RateLimiter(burst, perSecond);
    // Reactions have a bucket of their own, three times the messages': a person adds several
    // to a message in a second (sharing the messages' bucket, 12 of 24 quick ones were
    // refused). Both spend the person's tokens across chats, which bound a flood over many.
    this.reactionLimiter = new RateLimiter(3 * burst, 3 * perSecond);
    // Idle sockets answer pings without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  /** The WebSocket upgrade, forwarded by the Worker after it checked session, Origin and membership. */
  override async fetch(request: Request): Promise<Response> {
    this.remember(JSON.parse(request.headers.get(ROOM_INFO_HEADER)!) as RoomInfo);
    const user = JSON.parse(request.headers.get(USER_HEADER)!) as UserRef;
    const sessionId = request.headers.get(SESSION_HEADER)!;
    const state = request.headers.get(ROOM_STATE_HEADER);
    if (state) this.toldOnUpgrade(this.info!, user.id, JSON.parse(state) as RoomState);
    const after = parseCursor(new URL(request.url).searchParams);

    const { server, response } = upgrade(request);
    if (after === 'invalid') {
      refuse(server, CLOSE_CODES.policy, {
        type: 'error',
        code: 'invalid_cursor',
        message: '`after` must be a seq: a non-negative integer',
      });
      return response;
    }
    // Before the socket joins the broadcasts: from then on, hello and the replay go out in
    // one synchronous step, so no live event can overtake them.
    const authors = replaysEvents(this.log, after) ? await this.authorsAfter(after) : undefined;
    const place = this.relays.place(user.id, {
      // Upgrades still being accepted count too: a burst of them must not all fit at once.
      count: this.presence.sockets().size + this.accepting,
      hasUser: this.presence.has(user.id),
    });
    if (place !== 'direct') return this.viaRelay(place, request, user, after, authors);
    this.accepting += 1;
    const cameOnline = await this.sockets
      .accept(server, user, sessionId)
      .finally(() => (this.accepting -= 1));
    if (cameOnline === null) return response;

    for (const frame of this.opening(user, after, authors)) this.sendTo(server, frame);
    if (cameOnline) this.announce({ online: [user], offline: [] });
    if (!this.checkedUnflushed) {
      // Events left un-copied by an earlier instance (the alarm would get them too).
      this.checkedUnflushed = true;
      if (this.log.hasUnflushed()) this.copy.schedule();
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
    const read = readRoomFrame(data);
    if (!read.ok) {
      this.sendTo(ws, read.error);
      if (!read.tooLarge) return;
      this.outbox.flush();
      return this.drop(ws, CLOSE_CODES.tooLarge, 'Frame too large');
    }
    const frame = read.frame;
    if (frame.type === 'received') return this.outbox.received(ws, frame.chars);
    return this.act(
      user,
      frame,
      (reply) => this.sendTo(ws, reply),
      () => this.sockets.userOf(ws) !== null,
    );
  }

  /**
   * What a frame from a socket here or on a relay does. `reply` answers that socket (before
   * any broadcast the frame causes); `live` says whether the socket is still open here.
   */
  private async act(
    user: UserRef,
    frame: Exclude<ClientFrame, { type: 'received' }>,
    reply: (frame: ServerFrame) => void,
    live: () => boolean,
  ): Promise<void> {
    // Typing does not reach someone who blocks the typist, or whom they block (a pair's DM).
    if (frame.type === 'typing')
      return this.moderation.mayReach(user.id) ? undefined : this.typing(user);

    if (frame.type === 'send') {
      // A retry gets its original acknowledgement, nothing stored or broadcast; before the
      // rate limit, which counts only what would be stored.
      const existing = this.log.findByClientId(user.id, frame.clientId);
      if (existing) return reply({ type: 'ack', clientId: frame.clientId, ...ackOf(existing) });
    }

    const ref = frame.type === 'send' ? frame.clientId : frame.target;
    // Archived rooms and slow mode (moderation.ts), before any token is spent.
    const refused =
      frame.type === 'send'
        ? this.moderation.maySend(user.id)
        : (this.moderation.mayChange() ??
          (frame.type === 'react' ? this.moderation.mayReach(user.id) : null));
    if (refused) return reply(errorFrame(refused.code, refused.message, ref, refused.retryAfterMs));
    const limiter = frame.type === 'react' ? this.reactionLimiter : this.limiter;
    const waitMs = limiter.take(user.id);
    if (waitMs > 0) {
      return reply(errorFrame('rate_limited', 'You are sending too fast', ref, waitMs));
    }
    // Then the user's rate across all chats; usually a token the room already holds.
    const taken = this.tokens.take(user.id);
    const waitAllMs = typeof taken === 'number' ? taken : await taken;
    if (waitAllMs > 0) {
      limiter.refund(user.id);
      return reply(
        errorFrame('rate_limited', 'You are sending too fast across your chats', ref, waitAllMs),
      );
    }
    // The socket may have been dropped (logout, leave) while the token was leased.
    if (!live()) return;

    if (frame.type === 'send') {
      const replyTo = frame.replyTo ?? null;
      if (replyTo !== null) {
        const original = await this.messageState(replyTo);
        if (!original || original.deleted) {
          const gone = `No message ${replyTo} to reply to`;
          return reply(errorFrame('message_not_found', gone, frame.clientId));
        }
      }
      const files = frame.files?.length
        ? await this.attachments.claim(user.id, frame.clientId, frame.files)
        : [];
      if (!files) {
        const none = 'Attach only files you uploaded to this chat and have not sent yet';
        return reply(errorFrame('not_found', none, frame.clientId));
      }
      const text = await withTypedMentions(this.env.DB, this.info!.id, frame.text);
      // The awaits above (the token lease, the original, the files, typed mentions) let the
      // user's other sockets' frames run: the same clientId may have been stored since (a
      // retry from a second tab), or another message of theirs started slow mode's interval.
      // Checked again here, with no await before the append.
      const stored = this.log.findByClientId(user.id, frame.clientId);
      if (stored) return reply({ type: 'ack', clientId: frame.clientId, ...ackOf(stored) });
      const late = this.moderation.maySend(user.id);
      if (late) {
        limiter.refund(user.id);
        return reply(errorFrame(late.code, late.message, frame.clientId, late.retryAfterMs));
      }
      const event = this.log.appendMessage(user, frame.clientId, text, replyTo, files);
      this.moderation.sent(user.id);
      const { id, createdAt } = event.message;
      reply({ type: 'ack', clientId: frame.clientId, seq: event.seq, id, createdAt });
      return this.commit(event);
    }

    if (frame.type === 'react') return this.react(user, frame, reply);
    if (frame.type === 'pin') return this.pin(user, frame, reply);
    const check = await this.canChange(user, frame.target, frame.type === 'delete');
    if (!check.ok) return reply(errorFrame(check.code, check.message, frame.target));
    if (frame.type === 'delete' && !(await this.releaseFiles(frame.target, reply))) return;
    const edited =
      frame.type === 'edit' ? await withTypedMentions(this.env.DB, this.info!.id, frame.text) : '';
    // An edit's notice names only the mentions it adds (edit-mentions.ts).
    const before =
      frame.type === 'edit'
        ? mentionsBeforeEdit(this.ctx.storage.sql, frame.target, check.text)
        : [];
    if (this.log.hasDelete(frame.target))
      return reply(errorFrame('message_not_found', `No message ${frame.target}`, frame.target));
    const event =
      frame.type === 'edit'
        ? this.log.appendEdit(user, frame.target, edited)
        : this.log.appendDelete(user, frame.target, check.removed);
    if (frame.type === 'edit') this.commit(event, addedMentions(edited, before, user.id), user.id);
    else this.commit(event);
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.wentOffline(this.sockets.closed(ws, code));
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.wentOffline(this.sockets.closed(ws));
  }

  override async alarm(): Promise<void> {
    this.copy.alarmFired();
    if (this.info && this.log.hasUnflushed()) await this.copy.run();
  }

  // --- RPC from the Worker -------------------------------------------------------------

  /**
   * A moderation action the Worker has checked and written to D1 (room-admin.ts): the
   * object's own copy of the state changes, the notice takes the next seq, and a removed or
   * banned member's sockets are closed. Returns the notice's seq.
   */
  async moderate(
    info: RoomInfo,
    change: {
      notice: Omit<RoomNotice, 'at'>;
      state?: RoomState;
      disconnect?: { userId: string; reason: string };
    },
  ): Promise<number> {
    this.remember(info);
    if (change.state) this.moderation.apply(change.state);
    const event = this.log.appendNotice(change.notice);
    this.commit(event);
    const gone = change.disconnect;
    if (gone) {
      for (const ws of this.sockets.tagged(gone.userId))
        this.drop(ws, CLOSE_CODES.normal, gone.reason);
      await Promise.all(
        this.relays
          .relaysOf(gone.userId)
          .map((relay) => relay.disconnect(gone.userId, CLOSE_CODES.normal, gone.reason)),
      );
    }
    return event.seq;
  }

  /**
   * A change to the room's settings, roles or members written to D1 and announced as one
   * step (setting-steps.ts: changes that queue meanwhile share the next step). With the write
   * in the Worker, two changes sent together could
   * reach D1 in one order and this object in the other: D1 would say archived (or moderator,
   * or banned) while the room's own copy and every client's last notice said the opposite.
   * `writes` run as one D1 batch; when the first changes no row nothing is announced (null).
   * With `returning`, the first write's RETURNING row completes the notice (a rename sends
   * every field of the settings as they are now, not only those the request named). With
   * `hub`, the member's hub shard starts or stops the room's activity notices in the same
   * step, so a join and a leave sent together leave the hub where D1 is.
   */
  async changeSetting(
    info: RoomInfo,
    writes: SettingWrite[],
    change: Parameters<Room['moderate']>[1],
    options: SettingOptions = {},
  ): Promise<number | null> {
    const member = options.hub;
    // After a change of who is in the room, the count of members as of this notice, read in
    // the same D1 transaction: clients take it from the notice instead of each asking D1.
    const counted = countsMembers(info, change.notice.kind);
    return this.settingSteps.run({
      writes: counted ? [...writes, memberCountRead(info.id)] : writes,
      announce: async (first, all) => {
        if (first.meta.changes === 0) return null;
        const row = options.returning
          ? (first.results[0] as Record<string, unknown> | undefined)
          : undefined;
        const count = counted
          ? (all.at(-1)?.results[0] as { memberCount?: number } | undefined)
          : undefined;
        const notice = { ...change.notice, ...row, ...count };
        return this.moderate(info, { ...change, notice });
      },
      ...(member && {
        hub: {
          userId: member.userId,
          tell: () => {
            const hub = hubOf(this.env, member.userId);
            if (member.op === 'left') return hub.left(member.userId, info.id);
            const shard = hubShardOf(member.userId, hubShardCount(this.env));
            // Unbanned from the global room is a member again (room-admin/members.ts).
            if (member.op === 'unbanned')
              return hub.unbanned(shard, member.userId, info.id, info.kind === 'global');
            return hub.joined(shard, member.userId, info.id);
          },
        },
      }),
    });
  }

  /**
   * An upgrade's word on the room's state and the user's role (moderation.ts `fromUpgrade`).
   * When it differs from this object's copy, D1 is read again as a step of the room's changes
   * (setting-steps.ts), so the read sees every change before it and none after it overtakes
   * it. The global room's moderators are the deployment's (GLOBAL_MODERATORS, no D1 row): the
   * Worker's word on them is taken as it is.
   */
  private toldOnUpgrade(info: RoomInfo, userId: string, told: RoomState): void {
    const global = info.kind === 'global';
    if (global && told.roles) this.moderation.apply({ roles: told.roles });
    if (this.moderation.fromUpgrade(told, userId) !== 'differs') return;
    void this.settingSteps
      .run({
        writes: [
          {
            sql: `SELECT r.archived_at IS NOT NULL AS archived, r.is_private, r.slow_mode_seconds,
                    CASE WHEN r.owner_id = ?2 THEN 'owner' WHEN m.role = 'moderator' THEN 'moderator'
                      ELSE 'member' END AS role
                  FROM rooms r LEFT JOIN memberships m ON m.room_id = r.id AND m.user_id = ?2
                  WHERE r.id = ?1`,
            params: [info.id, userId],
          },
        ],
        announce: async (read) => {
          const row = read.results[0] as
            | { archived: number; is_private: number; slow_mode_seconds: number; role: RoomRole }
            | undefined;
          if (!row) return null;
          this.moderation.apply({
            archived: row.archived === 1,
            private: row.is_private === 1,
            slowModeSeconds: row.slow_mode_seconds,
            ...(!global && { roles: [{ userId, role: row.role }] }),
          });
          return null;
        },
      })
      .catch(() => {}); // the next upgrade asks again
  }

  /**
   * A block between a pair's members changed in D1 (src/worker/blocks.ts): the object reads
   * who blocks whom again. Reads run one after another, each after its own change was
   * written, so the last leaves what D1 says last.
   */
  async blocksChanged(info: RoomInfo): Promise<void> {
    this.remember(info);
    const read = this.blockReads.then(async () =>
      this.moderation.apply({ blockers: await pairBlockers(this.env.DB, info.id) }),
    );
    this.blockReads = read.catch(() => {});
    await read;
  }

  /** The room was deleted: every socket closes (do not reconnect) and the object forgets it. */
  async deleted(): Promise<void> {
    const shards = this.hubs.shards();
    for (const ws of [...this.presence.sockets()])
      this.drop(ws, CLOSE_CODES.normal, 'This room was deleted');
    // A relay's sockets reconnect through the Worker, which answers 404 from now on.
    await Promise.all(this.relays.relaysOf().map((relay) => relay.reset()));
    this.outbox.flush();
    // Rows, not tables: timers already set (a D1 copy, an activity notice) still run and
    // must find empty tables; once `gone`, no activity notice leaves.
    const sql = this.ctx.storage.sql;
    const tables = sql
      .exec<{ name: string }>(
        `SELECT name FROM sqlite_master WHERE type = 'table'
         AND substr(name, 1, 4) != '_cf_' AND substr(name, 1, 7) != 'sqlite_'`,
      )
      .toArray();
    for (const { name } of tables) sql.exec(`DELETE FROM "${name}"`);
    this.gone = true;
    await this.ctx.storage.deleteAlarm();
    if (this.info) await roomGoneFromLists(this.env, shards, this.info.id);
  }

  /** Closes every socket opened under a session that has ended, here and on relays. */
  async disconnectSession(sessionId: string): Promise<void> {
    const tag = `session:${sessionId}`;
    for (const ws of this.sockets.tagged(tag)) this.drop(ws, CLOSE_CODES.policy, 'Session ended');
    await Promise.all(
      this.relays
        .relaysOf()
        .map((relay) => relay.disconnect(tag, CLOSE_CODES.policy, 'Session ended')),
    );
  }

  /**
   * A deleted account (src/worker/account/delete.ts): its sockets here close, and each of its
   * messages and reactions is taken back by an event in the room's order (erase.ts). Returns
   * how many events that made.
   */
  async eraseUser(info: RoomInfo, user: UserRef): Promise<number> {
    await refuseIfFaulted(this.env, this.ctx.storage);
    this.remember(info);
    for (const ws of this.sockets.tagged(user.id))
      this.drop(ws, CLOSE_CODES.policy, 'Account deleted');
    await Promise.all(
      this.relays
        .relaysOf(user.id)
        .map((relay) => relay.disconnect(user.id, CLOSE_CODES.policy, 'Account deleted')),
    );
    // A pair's DM has nobody left to read it: the one who stays may no longer send there.
    if (dmMembers(info.id)?.length === 2) this.moderation.apply({ peerGone: true });
    const seqs = await messagesOf(this.env.DB, this.log, info.id, user.id);
    let events = 0;
    for (const seq of seqs) {
      // Its files first, as for any delete: once the tombstone is seen they are not served.
      await this.attachments.release(this.log, seq);
      if (this.log.hasDelete(seq)) continue;
      this.commit(this.log.appendDelete(user, seq));
      events += 1;
    }
    for (const { target, emoji } of this.reactions.of(user.id)) {
      this.reactions.set(target, emoji, user.id, false);
      this.commit(this.log.appendReaction(user, target, emoji, false));
      events += 1;
    }
    return events;
  }

  /** A frame from a socket on relay `k` (relay.ts); the answer goes back in its stream. */
  async relayed(k: number, sid: string, user: UserRef, frame: ClientFrame): Promise<void> {
    if (frame.type === 'received') return;
    await this.act(
      user,
      frame,
      (reply) => this.relays.sendTo(k, sid, JSON.stringify(reply)),
      () => true,
    );
  }

  /** Who came and went on relay `k`. */
  async relayPresence(k: number, report: RelayPresence): Promise<void> {
    this.announce(this.relays.report(k, report, (id) => this.presence.has(id)));
  }

  /**
   * A member renamed: live frames from their sockets, the online list and replays carry the
   * new name from now on, and every client here is told (`user` frame).
   */
  async userUpdated(user: UserRef): Promise<void> {
    this.sockets.rename(user);
    this.relays.rename(user);
    this.log.renameAuthor(user);
    this.broadcast({ type: 'user', user });
    await Promise.all(this.relays.relaysOf(user.id).map((relay) => relay.renamed(user)));
  }

  /**
   * DM read receipt: `reader` has read up to `seq`; only the other member's sockets hear it,
   * or in a group only those of `viewers` (the members with receipts on), here and, past
   * ROOM_DIRECT_SOCKETS, on relays.
   */
  async readReceipt(reader: string, seq: number, viewers?: string[]): Promise<void> {
    if (this.info?.kind !== 'dm') return;
    const frame: ServerFrame = { type: 'read', user: reader, seq };
    if (!viewers) return this.broadcast(frame, reader);
    const others = viewers.filter((id) => id !== reader);
    const to = new Set(others.flatMap((id) => this.sockets.tagged(id)));
    const data = JSON.stringify(frame);
    this.outbox.push(
      this.sockets.targets().filter((ws) => to.has(ws)),
      data,
    );
    // A viewer's sockets past ROOM_DIRECT_SOCKETS are on relays.
    if (this.relays.any) this.relays.broadcastTo(data, others);
  }

  /** The UserQuota leases of `userId`'s sockets still open here (it reconciles with them). */
  async openLeases(userId: string): Promise<string[]> {
    return this.sockets.openLeases(userId);
  }

  /** Hub shard `shard` has a member online: it gets this room's activity notices. */
  async subscribeHub(shard: number, gen: number): Promise<void> {
    this.hubs.add(shard, gen);
  }

  /**
   * Who has a socket open here or on a relay now, each user once, ordered by id: at most
   * `limit` after the id `after` (`GET /api/rooms/:id`, and its paged online list).
   */
  async onlineUsers(
    after = '',
    limit: number = LIMITS.presenceListed,
  ): Promise<{ users: UserRef[]; count: number }> {
    const users = this.onlineList()
      .filter((u) => u.id > after)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    return { users, count: this.onlineCount() };
  }

  /** The room's newest seq (read cursors are clamped to it). */
  async lastSeq(): Promise<number> {
    return this.log.lastSeq;
  }

  /** Write-path counters, for the benchmark (the Worker exposes them only when BENCH=1). */
  async getStats(): Promise<
    D1Stats & {
      events: number;
      lastSeq: number;
      sockets: number;
      relays: number[];
      hubShards: number[];
      settingSteps: { steps: number; changes: number; alone: number };
      outboxFlushes: number;
      outboxHeld: number;
    }
  > {
    return {
      ...this.copy.stats,
      events: this.events,
      lastSeq: this.log.lastSeq,
      // The fan-out: sockets this object writes to itself, and each relay's.
      sockets: this.presence.sockets().size,
      relays: this.relays.sockets(),
      // The hub shards its activity notices go to.
      hubShards: this.hubs.shards(),
      // Setting changes and the steps they took (several share a step when they queue).
      settingSteps: { ...this.settingSteps.stats },
      // Sends of this object's own sockets' queues, and those that waited for the budget.
      outboxFlushes: this.outbox.stats.flushes,
      outboxHeld: this.outbox.stats.held,
    };
  }

  /** Waits until every event is in D1 (tests and the benchmark). */
  async drain(): Promise<number> {
    while (this.info && this.log.hasUnflushed()) await this.copy.run();
    return this.log.lastSeq;
  }

  // --- internals -----------------------------------------------------------------------

  /** The latest read of a pair's blocks (blocksChanged): the next waits for it. */
  private blockReads: Promise<void> = Promise.resolve();

  private remember(info: RoomInfo): void {
    if (this.info?.id === info.id) return;
    this.info = info;
    this.ctx.storage.sql.exec(
      `INSERT INTO meta (key, value) VALUES ('info', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      JSON.stringify(info),
    );
  }

  /**
   * Broadcasts a stored event, then schedules its copy to D1 and the chat-list notice (with
   * an edit: the mentions it adds, and its author).
   */
  private commit(event: RoomEvent, added: string[] = [], editor = ''): void {
    this.events += 1;
    if (event.type === 'delete') this.pins.drop(event.target);
    this.broadcast(event);
    this.copy.schedule();
    if (event.type === 'message' || event.type === 'edit' || event.type === 'delete')
      this.activity.note(event, added, editor);
  }

  /**
   * A socket past this object's own bound goes to relay `k`: its hello and replay enter the
   * relay's stream now (where a direct socket's would be sent), then the upgrade follows.
   */
  private async viaRelay(
    k: number,
    request: Request,
    user: UserRef,
    after: number | null,
    authors?: Map<string, UserRef>,
  ): Promise<Response> {
    const frames = this.opening(user, after, authors);
    const sid = crypto.randomUUID();
    const data = frames.map((f) => JSON.stringify(f));
    this.relays.open(k, sid, data, this.log.lastSeq);
    const headers = new Headers(request.headers);
    const ticket: RelayTicket = { room: this.info!, k, sid };
    headers.set(RELAY_HEADER, JSON.stringify(ticket));
    return this.relays.stubOf(k).fetch(new Request(request.url, { headers }));
  }

  /** LIMITS.presenceListed people online (but `except`), without listing everyone. */
  private listed(except?: string): UserRef[] {
    const out: UserRef[] = [];
    const seen = new Set<string>(except ? [except] : []);
    for (const list of [this.presence.list(), this.relays.list()]) {
      for (const u of list) {
        if (out.length === LIMITS.presenceListed) return out;
        if (seen.has(u.id)) continue;
        seen.add(u.id);
        out.push(u);
      }
    }
    return out;
  }

  private isOnline(userId: string): boolean {
    return this.presence.has(userId) || this.relays.has(userId);
  }

  /** How many are online here or on relays, each once, without building the list. */
  private onlineCount(): number {
    if (!this.relays.any) return this.presence.size;
    let both = 0;
    for (const u of this.presence.list()) if (this.relays.has(u.id)) both += 1;
    return this.presence.size + this.relays.count - both;
  }

  /** Everyone online here: on this object's sockets or on a relay's, each once. */
  private onlineList(): UserRef[] {
    const direct = this.presence.list();
    if (!this.relays.any) return direct;
    const ids = new Set(direct.map((u) => u.id));
    return [...direct, ...this.relays.list().filter((u) => !ids.has(u.id))];
  }

  /**
   * A new socket's first frames: hello, then for a resume the gap after `after` whole, or
   * `resync` (replay.ts). Sent in one step, so no live event can come between them.
   */
  private opening(user: UserRef, after: number | null, authors?: Map<string, UserRef>) {
    const others = this.listed(user.id);
    const hello: ServerFrame = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      roomId: this.info!.id,
      you: user,
      seq: this.log.lastSeq,
      online: [user, ...others].slice(0, LIMITS.presenceListed),
      onlineCount: this.onlineCount() + (this.isOnline(user.id) ? 0 : 1),
    };
    return [hello, ...(after === null ? [] : replayFrames(this.log, after, authors))];
  }

  /** Current names of the gap's authors; the log's copies if D1 cannot answer now. */
  private async authorsAfter(after: number): Promise<Map<string, UserRef> | undefined> {
    try {
      return await currentAuthors(this.env.DB, this.log.authorsSince(after));
    } catch (err) {
      console.error('author lookup failed; replaying the names the log has', err);
      return undefined;
    }
  }

  /**
   * Deletes a message's files before its delete event, so once anyone sees the delete the
   * files are no longer served. False, with the client told, when they could not be deleted
   * (it may retry) or the message was deleted meanwhile from another socket. A message the
   * log knows to have no files costs no await, so the delete stays one synchronous step.
   */
  private async releaseFiles(target: number, reply: (frame: ServerFrame) => void) {
    const release = this.attachments.release(this.log, target);
    if (!release) return true;
    try {
      await release;
    } catch (err) {
      console.error('deleting a message’s files failed', err);
      reply(errorFrame('internal', 'The message’s files could not be deleted; try again', target));
      return false;
    }
    if (!this.log.hasDelete(target)) return true;
    reply(errorFrame('message_not_found', `No message ${target}`, target));
    return false;
  }

  /** A reaction: an event only if it changes something (a repeat is answered by nothing). */
  private async react(
    user: UserRef,
    { target, emoji, on }: Extract<ClientFrame, { type: 'react' }>,
    reply: (frame: ServerFrame) => void,
  ): Promise<void> {
    const state = await this.messageState(target);
    if (!state || state.deleted) {
      return reply(errorFrame('message_not_found', `No message ${target}`, target));
    }
    const change = this.reactions.set(target, emoji, user.id, on);
    if (change === 'too_many') {
      const most = LIMITS.reactionsPerMessage;
      return reply(errorFrame('quota_exceeded', `At most ${most} different reactions`, target));
    }
    if (change === 'changed') this.commit(this.log.appendReaction(user, target, emoji, on));
  }

  /**
   * A pin or unpin, a notice in the room's order: by the owner or a moderator of a room,
   * either member of a DM (only members reach a DM's object). A repeat makes no event.
   */
  private async pin(
    user: UserRef,
    { target, on }: Extract<ClientFrame, { type: 'pin' }>,
    reply: (frame: ServerFrame) => void,
  ): Promise<void> {
    if (this.info!.kind !== 'dm' && !this.moderation.moderates(user.id)) {
      const why = 'Only the room’s owner and moderators can pin messages';
      return reply(errorFrame('forbidden', why, target));
    }
    const state = await this.messageState(target);
    // Deleted while D1 was asked: the delete's event has already unpinned it.
    if (!state || state.deleted || this.log.hasDelete(target)) {
      return reply(errorFrame('message_not_found', `No message ${target}`, target));
    }
    const change = this.pins.set(target, on);
    if (change === 'too_many') {
      const most = `At most ${LIMITS.pinsPerChat} pinned messages; unpin one first`;
      return reply(errorFrame('quota_exceeded', most, target));
    }
    if (change === 'changed') {
      const kind = on ? 'pinned' : 'unpinned';
      this.commit(this.log.appendNotice({ kind, actor: user, subject: null, target }));
    }
  }

  /**
   * Who may edit or delete: the author, of a message that exists and is not deleted; and
   * for a delete (`removal`), the owner or a moderator too, which is a removal.
   */
  private async canChange(
    user: UserRef,
    target: number,
    removal: boolean,
  ): Promise<
    { ok: true; removed: boolean; text?: string } | { ok: false; code: ErrorCode; message: string }
  > {
    const state = await this.messageState(target);
    if (!state || state.deleted)
      return { ok: false, code: 'message_not_found', message: `No message ${target}` };
    if (state.authorId === user.id) return { ok: true, removed: false, text: state.text };
    if (removal && this.moderation.mayRemove(user.id, state.authorId))
      return { ok: true, removed: true };
    if (removal && this.moderation.moderates(user.id)) {
      const why = 'Only the owner can remove a moderator’s or the owner’s message';
      return { ok: false, code: 'forbidden', message: why };
    }
    return { ok: false, code: 'not_author', message: 'Only the author can change a message' };
  }

  /**
   * A message's author and whether it is deleted: from the log, else from D1 (then with its
   * text as D1 has it, for an edit's mentions: one read, not two); null if none.
   */
  private async messageState(
    target: number,
  ): Promise<{ authorId: string; deleted: boolean; text?: string } | null> {
    let state: { authorId: string; deleted: boolean; text?: string } | null =
      this.log.messageState(target);
    if (!state && target <= this.log.lastSeq) {
      const row = await this.env.DB.prepare(
        'SELECT author_id, deleted_at, text FROM messages WHERE room_id = ? AND seq = ?',
      )
        .bind(this.info!.id, target)
        .first<{ author_id: string; deleted_at: number | null; text: string }>();
      state = row && { authorId: row.author_id, deleted: row.deleted_at !== null, text: row.text };
    }
    // D1 lags the log by a copy: a delete of an old message may be in the log only. Asked
    // after the await, so a delete appended meanwhile (from another socket) counts too.
    if (state && !state.deleted && this.log.hasDelete(target)) state = { ...state, deleted: true };
    return state;
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
    if (user) this.announce({ online: [], offline: [user] });
  }

  /**
   * Presence changes of this object's sockets or a relay's: announced for users who came
   * online or went offline in the room as a whole (a user may be on both).
   */
  private announce({ online, offline }: PresenceChanges): void {
    const leaving = offline.filter((u) => !this.isOnline(u.id));
    // New in the room: online in exactly one of the two places now (it just arrived there).
    const arriving = online.filter((u) => this.presence.has(u.id) !== this.relays.has(u.id));
    if (arriving.length + leaving.length === 0) return;
    this.reportOnline();
    if (this.crowded || this.onlineCount() > LIMITS.presenceListed) return this.snapshotSoon();
    for (const user of arriving) this.broadcast({ type: 'online', user }, user.id);
    for (const user of leaving) this.broadcast({ type: 'offline', user });
  }

  /**
   * A crowded room's presence: one snapshot per LIMITS.presenceSnapshotMs however many come
   * and go (per-user frames to every socket would grow with the square of the room). The
   * snapshot that finds the room back under the limit names everyone, and ends it.
   */
  private snapshotSoon(): void {
    this.crowded = true;
    if (this.snapshotDue) return;
    this.snapshotDue = true;
    setTimeout(() => {
      this.snapshotDue = false;
      const count = this.onlineCount();
      this.broadcast({ type: 'presence', count, online: this.listed() });
      this.crowded = count > LIMITS.presenceListed;
    }, LIMITS.presenceSnapshotMs);
  }

  /**
   * Keeps the room's online count in D1 (shown in the room browser) current, at most
   * once a second however many people come and go.
   */
  private reportOnline(): void {
    if (!this.info || this.info.kind === 'dm' || this.onlineReport) return;
    this.onlineReport = true;
    setTimeout(() => {
      this.onlineReport = false;
      reportRoomOnline(this.env, this.info!.id, this.onlineCount()).catch(() => {});
    }, ONLINE_REPORT_MS);
  }

  /** To every live socket here and on relays, except those of `exceptUser`. */
  private broadcast(frame: ServerFrame, exceptUser?: string): void {
    const data = JSON.stringify(frame);
    this.outbox.push(this.sockets.targets(exceptUser), data);
    if (!this.relays.any) return;
    // Events carry a seq (relays check their stream has no gap); other frames do not.
    const seq = isEvent(frame) ? frame.seq : undefined;
    this.relays.broadcast(data, exceptUser, seq);
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
    this.sendTo(ws, errorFrame(code, message, ref, retryAfterMs));
  }
}

/** One D1 statement of a setting change (changeSetting). */
export interface SettingWrite {
  sql: string;
  params: (string | number | null)[];
}

/** Whether a notice of this kind in this chat carries the member count after it. */
function countsMembers(info: RoomInfo, kind: NoticeKind): boolean {
  return info.kind !== 'global' && info.kind !== 'dm' && COUNTED_NOTICES.has(kind);
}

function memberCountRead(roomId: string): SettingWrite {
  return {
    sql: 'SELECT count(*) AS memberCount FROM memberships WHERE room_id = ?1',
    params: [roomId],
  };
}

export interface SettingOptions {
  /** The first write's RETURNING row completes the notice. */
  returning?: boolean;
  /** A member joined, left or was unbanned: their hub shard is told in the same step. */
  hub?: { userId: string; op: 'joined' | 'left' | 'unbanned' };
}

function errorFrame(
  code: ErrorCode,
  message: string,
  ref?: string | number,
  retryAfterMs?: number,
): ServerFrame {
  return {
    type: 'error',
    code,
    message,
    ...(ref !== undefined && { ref }),
    ...(retryAfterMs && { retryAfterMs }),
  };
}

function ackOf(existing: { seq: number; id: string; at: number }) {
  return { seq: existing.seq, id: existing.id, createdAt: existing.at };
}

const EVENT_TYPES: ReadonlySet<string> = new Set<RoomEvent['type']>([
  'message',
  'edit',
  'delete',
  'reaction',
  'notice',
]);

function isEvent(frame: ServerFrame): frame is RoomEvent {
  return EVENT_TYPES.has(frame.type);
}
