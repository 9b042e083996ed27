/**
 * A hub shard: the lobby sockets (one per signed-in tab) of the users whose id hashes to it
 * (hub-shards.ts), for what is not about the open chat — activity in the user's other chats
 * and the presence of the people they have DMs with. No object sees every user:
 *
 * - A room sends each activity notice once per subscribed shard (hub-subscribers.ts); the
 *   shard delivers it to its users who are members (hub-interest.ts), a DM's only to its two.
 * - A user's presence is exact here, as in a room (every tab on one shard); when they come
 *   or go, only the shards of their DM contacts are told, and those tell the contacts.
 */
import { DurableObject } from 'cloudflare:workers';
import type { NotifyLevel } from '../shared/attention';
import type { ActivityFrame, LobbyFrame, UserRef } from '../shared/protocol';
import {
  CLOSE_CODES,
  LOBBY_CLIENT_FRAME_TYPES,
  lobbyClientFrame,
  PROTOCOL_VERSION,
} from '../shared/protocol';
import { Connections, upgrade } from './connections';
import { parseClientFrame } from './frames';
import { Attention, loadAttention, type UserAttention } from './hub-attention';
import { Interests, loadUserChats, type UserChats } from './hub-interest';
import { byShard, HUB_OBJECT_PREFIX, hubStub } from './hub-shards';
import { Outbox } from './outbox';
import { SocketLeases } from './quota-client';
import { roomStub, SESSION_HEADER, USER_HEADER } from './room-info';

/** The Worker names the shard it forwards an upgrade to. */
export const HUB_SHARD_HEADER = 'x-parlor-hub-shard';

export class Hub extends DurableObject<Env> {
  private readonly outbox = new Outbox<WebSocket>(
    { framesPerSecond: 6000, periodMs: 20, burstPeriods: 3 },
    (ws, why) =>
      why === 'too_slow'
        ? this.drop(ws, CLOSE_CODES.resume, 'Too far behind; reconnect')
        : this.drop(ws, CLOSE_CODES.serverError, 'Send failed'),
  );
  private shard = -1;
  private readonly sockets = new Connections(
    this.ctx,
    new SocketLeases(this.env, () => `${HUB_OBJECT_PREFIX}${this.shard}`),
  );
  private readonly presence = this.sockets.presence;
  private readonly interests = new Interests(this.ctx.storage.sql);
  private readonly attention = new Attention(this.ctx.storage.sql);
  /** Users whose chats are being read from D1 (their first tab here), so later tabs wait. */
  private readonly loading = new Map<string, Promise<UserChats>>();
  /**
   * Settings changed (a level, DND, a block) while a user's first tab was loading theirs
   * from D1: applied after what was read, which may predate them.
   */
  private readonly changedWhileLoading = new Map<string, (() => void)[]>();
  private gen = Date.now();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  override async fetch(request: Request): Promise<Response> {
    const user = JSON.parse(request.headers.get(USER_HEADER)!) as UserRef;
    const sessionId = request.headers.get(SESSION_HEADER)!;
    this.shard = Number(request.headers.get(HUB_SHARD_HEADER));
    const { server, response } = upgrade(request);
    const cameOnline = await this.sockets.accept(server, user, sessionId);
    if (cameOnline === null) return response;
    const contacts = cameOnline
      ? (await this.arrived(user)).contacts
      : ((await this.loading.get(user.id))?.contacts ?? this.interests.contactsOf(user.id));
    const hello: LobbyFrame = {
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      you: user,
      online: await this.onlineAmong(contacts),
    };
    this.push([server], hello);
    return response;
  }

  /** The user's first tab here: what they want to hear about, and their contacts told. */
  private async arrived(user: UserRef): Promise<UserChats> {
    const loading = loadUserChats(this.env.DB, user.id);
    const settings = loadAttention(this.env.DB, user.id).catch((err): UserAttention => {
      console.error('attention settings not loaded; defaults apply', err);
      return { levels: [], dndUntil: null, blocked: [] };
    });
    this.loading.set(user.id, loading);
    let chats: UserChats;
    let attention: UserAttention;
    let changes: (() => void)[] = [];
    try {
      chats = await loading;
      attention = await settings;
    } finally {
      this.loading.delete(user.id);
      changes = this.changedWhileLoading.get(user.id) ?? [];
      this.changedWhileLoading.delete(user.id);
    }
    // They may have closed every tab meanwhile: then there is nothing to remember.
    if (!this.presence.has(user.id)) return chats;
    this.interests.remember(user.id, chats);
    this.attention.remember(user.id, attention);
    for (const change of changes) change();
    this.ctx.waitUntil(this.subscribe(chats.rooms));
    this.ctx.waitUntil(this.tellContacts(user, 'online', chats.contacts));
    return chats;
  }

  /** The lobby socket only takes receipts (flow control, see Outbox); pings never wake it. */
  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    if (!this.sockets.userOf(ws)) return; // dropped: whatever it says takes no effect
    const parsed = parseClientFrame(data, lobbyClientFrame, LOBBY_CLIENT_FRAME_TYPES);
    if (parsed.ok) return this.outbox.received(ws, parsed.frame.chars);
    this.push([ws], {
      type: 'error',
      code: parsed.code,
      message: parsed.message,
      ...(parsed.ref !== undefined && { ref: parsed.ref }),
    });
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.wentOffline(this.sockets.closed(ws, code));
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.wentOffline(this.sockets.closed(ws));
  }

  // --- RPC from rooms, other shards and the Worker ---------------------------------------

  /**
   * New messages in a room: to its members for a DM (a pair or a group), else to the members
   * online here. `mentions` pairs each reader here whom they mention with its author.
   * Returns `unsubscribe` (the subscription's gen) when nobody here wants the room any more.
   */
  async activity(
    frame: ActivityFrame,
    members: string[] | null,
    mentions: [reader: string, author: string][] = [],
  ): Promise<{ unsubscribe?: number }> {
    if (members) {
      const online = members.filter((id) => this.presence.has(id));
      this.pushToReaders(frame, online, mentions);
      for (const id of online) for (const other of members) this.metContact(id, other);
      return {};
    }
    const readers =
      frame.kind === 'global'
        ? this.presence.list().map((u) => u.id)
        : this.interests.interested(frame.roomId);
    const interested = this.pushToReaders(frame, readers, mentions);
    if (interested === 0) {
      // Rows of users with no socket left are stale (a restart dropped every socket at once).
      this.interests.forgetRoom(frame.roomId);
      const gen = this.interests.unsubscribe(frame.roomId);
      return gen === null ? {} : { unsubscribe: gen };
    }
    return {};
  }

  /** A user here set a chat's level: notices follow it, and their other tabs are told. */
  async notifyLevelChanged(userId: string, roomId: string, level: NotifyLevel): Promise<void> {
    if (!this.presence.has(userId)) return; // read from D1 at their next first tab
    this.changeSetting(userId, () => this.attention.setLevel(userId, roomId, level));
    this.push(this.socketsOf([userId]), { type: 'notify_level', roomId, level });
  }

  /** A user here blocked (`on`) or unblocked someone: mentions follow it. */
  async blockChanged(userId: string, blockedId: string, on: boolean): Promise<void> {
    if (!this.presence.has(userId)) return;
    this.changeSetting(userId, () => this.attention.setBlocked(userId, blockedId, on));
  }

  /** A user here set or ended "do not disturb". */
  async dndChanged(userId: string, until: number | null): Promise<void> {
    if (!this.presence.has(userId)) return;
    this.changeSetting(userId, () => this.attention.setDnd(userId, until));
    this.push(this.socketsOf([userId]), { type: 'dnd', until });
  }

  /**
   * Applies a setting change now, and once more after the user's settings are read, when
   * their first tab is still reading them (what D1 gave may predate the change).
   */
  private changeSetting(userId: string, change: () => void): void {
    change();
    if (this.loading.has(userId))
      this.changedWhileLoading.set(userId, [
        ...(this.changedWhileLoading.get(userId) ?? []),
        change,
      ]);
  }

  /**
   * `userId` (whose tabs are here) joined a room (here, in another tab, or added by its
   * owner): its activity reaches them from now on, and their tabs read its row (the chat
   * joins their lists).
   */
  async joined(shard: number, userId: string, roomId: string): Promise<void> {
    this.shard = shard;
    if (!this.presence.has(userId)) return;
    this.interests.addRoom(userId, roomId);
    await this.subscribe([roomId]);
    this.push(this.socketsOf([userId]), { type: 'chat', roomId });
  }

  /**
   * `userId`'s ban from `roomId` ended (`member`: they are a member again, as in the global
   * room): their tabs read the chat's row again, and one that shows the chat as lost opens it
   * afresh.
   */
  async unbanned(shard: number, userId: string, roomId: string, member: boolean): Promise<void> {
    if (member) await this.joined(shard, userId, roomId);
    this.push(this.socketsOf([userId]), { type: 'chat', roomId, unbanned: true });
  }

  /** `userId` left, was removed or banned: the chat leaves their tabs' lists. */
  async left(userId: string, roomId: string): Promise<void> {
    this.interests.removeRoom(userId, roomId);
    this.push(this.socketsOf([userId]), { type: 'chat', roomId });
  }

  /** A room was deleted: off the lists of its members here (those who follow it). */
  async roomDeleted(roomId: string): Promise<void> {
    const readers = this.interests.interested(roomId);
    this.interests.forgetRoom(roomId);
    this.interests.unsubscribe(roomId);
    this.push(this.socketsOf(readers), { type: 'chat', roomId });
  }

  /** `userId` moved their read cursor in `roomId` in one tab: every tab of theirs is told. */
  async readMoved(userId: string, roomId: string): Promise<void> {
    this.push(this.socketsOf([userId]), { type: 'chat', roomId });
  }

  /** Which of `userIds` (all on this shard) are online, with their current names. */
  async whoIsOnline(userIds: string[]): Promise<UserRef[]> {
    return this.presence.list().filter((u) => userIds.includes(u.id));
  }

  /** `user` (on another shard) came, went or was renamed: their contacts here are told. */
  async contactChanged(frame: LobbyFrame, contacts: string[]): Promise<void> {
    this.push(this.socketsOf(contacts), frame);
  }

  /** The contacts of `userId` (on this shard) who are online anywhere. */
  async onlineContacts(userId: string): Promise<UserRef[]> {
    return this.onlineAmong(await this.contactsOf(userId));
  }

  /** The UserQuota leases of `userId`'s sockets still open here (it reconciles with them). */
  async openLeases(userId: string): Promise<string[]> {
    return this.sockets.openLeases(userId);
  }

  async disconnectSession(sessionId: string): Promise<void> {
    for (const ws of this.sockets.tagged(`session:${sessionId}`))
      this.drop(ws, CLOSE_CODES.policy, 'Session ended');
  }

  /** A renamed user (on this shard): their tabs and their contacts' tabs get the new name. */
  async userUpdated(user: UserRef): Promise<void> {
    this.sockets.rename(user);
    this.push(this.socketsOf([user.id]), { type: 'user', user });
    await this.tellContacts(user, 'user', await this.contactsOf(user.id));
  }

  // --- Presence of contacts ---------------------------------------------------------------

  private drop(ws: WebSocket, code: number, reason: string): void {
    this.wentOffline(this.sockets.drop(ws, code, reason));
  }

  private wentOffline(user: UserRef | null): void {
    if (!user) return;
    const contacts = this.interests.forget(user.id);
    this.attention.forget(user.id);
    this.ctx.waitUntil(this.tellContacts(user, 'offline', contacts));
  }

  /** Sends a presence or rename frame about `user` to each shard holding some of `contacts`. */
  private async tellContacts(
    user: UserRef,
    type: 'online' | 'offline' | 'user',
    contacts: string[],
  ): Promise<void> {
    const frame: LobbyFrame = { type, user };
    await Promise.all(
      [...byShard(this.env, contacts)].map(async ([shard, ids]) => {
        try {
          if (shard === this.shard) await this.contactChanged(frame, ids);
          else await hubStub(this.env, shard).contactChanged(frame, ids);
        } catch (err) {
          console.error('presence notice failed', shard, err);
        }
      }),
    );
  }

  /** Of `userIds`, those online anywhere, asking each of their shards once. */
  private async onlineAmong(userIds: string[]): Promise<UserRef[]> {
    const lists = await Promise.all(
      [...byShard(this.env, userIds)].map(([shard, ids]) =>
        shard === this.shard
          ? this.whoIsOnline(ids)
          : hubStub(this.env, shard)
              .whoIsOnline(ids)
              .catch(() => []),
      ),
    );
    return lists.flat();
  }

  /**
   * A DM's activity reached `userId`: if the other member is a contact they did not have (a
   * first message), they learn now whether that person is online.
   */
  private metContact(userId: string, otherId: string): void {
    if (otherId === userId || !this.interests.addContact(userId, otherId)) return;
    this.ctx.waitUntil(
      this.onlineAmong([otherId]).then((online) => {
        for (const user of online) this.push(this.socketsOf([userId]), { type: 'online', user });
      }),
    );
  }

  private async contactsOf(userId: string): Promise<string[]> {
    if (this.presence.has(userId)) return this.interests.contactsOf(userId);
    return (await loadUserChats(this.env.DB, userId)).contacts;
  }

  // --- Subscriptions to rooms ---------------------------------------------------------------

  /** Subscribes this shard to those of `roomIds` it is not subscribed to yet. */
  private async subscribe(roomIds: string[]): Promise<void> {
    await Promise.all(
      this.interests.unsubscribed(roomIds).map(async (roomId) => {
        const gen = (this.gen += 1);
        this.interests.subscribing(roomId, gen);
        try {
          await roomStub(this.env, roomId).subscribeHub(this.shard, gen);
        } catch (err) {
          this.interests.unsubscribe(roomId, gen); // the next arrival asks again
          console.error('hub subscription failed', roomId, err);
        }
      }),
    );
  }

  private socketsOf(userIds: string[]): WebSocket[] {
    return userIds.flatMap((id) => this.sockets.tagged(id)).filter((ws) => this.sockets.userOf(ws));
  }

  /**
   * An activity notice to each reader's tabs, as that reader should get it (hub-attention.ts):
   * one serialization per distinct variant, not per reader. Returns the sockets reached.
   */
  private pushToReaders(
    frame: ActivityFrame,
    readers: string[],
    mentions: [reader: string, author: string][],
  ): number {
    const variants = new Map<string, { frame: ActivityFrame; sockets: WebSocket[] }>();
    const personal = this.attention.forReaders(frame, readers, mentions, Date.now());
    let reached = 0;
    for (const [id, own] of personal) {
      const sockets = this.socketsOf([id]);
      if (sockets.length === 0) continue;
      reached += sockets.length;
      const key = `${own.mentionsYou}:${own.level}:${own.alert}`;
      const variant = variants.get(key) ?? { frame: own, sockets: [] };
      variant.sockets.push(...sockets);
      variants.set(key, variant);
    }
    for (const { frame: f, sockets } of variants.values()) this.push(sockets, f);
    return reached;
  }

  private push(targets: WebSocket[], frame: LobbyFrame): void {
    if (targets.length > 0) this.outbox.push(targets, JSON.stringify(frame));
  }
}
