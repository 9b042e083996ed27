/**
 * The socket lifecycle shared by the Room and the Lobby: accepting a socket (with a cap per
 * user), who each socket is (its attachment, which survives hibernation), dropping a socket
 * from the server side, answering a client's close, and presence on top of it.
 *
 * A dropped socket is marked in its attachment before it is closed. The runtime keeps a
 * hibernatable socket until the client answers the close frame, and offers no way to end
 * the connection without that answer (docs/security.md), so a client that ignores the close
 * could keep sending: the mark makes every later frame from it a no-op, in this instance or
 * in any later one after hibernation.
 */
import { CLOSE_CODES, type ServerFrame, type UserRef } from '../shared/protocol';
import { Presence } from './presence';
import type { SocketLeases } from './quota-client';
import { MAX_SOCKETS_PER_USER_TOTAL } from './quota-rules';

/** What each socket carries across hibernation: who it is, nothing secret, well under 2 KiB. */
export interface Attachment {
  user: UserRef;
  /** The server closed this socket: nothing it sends takes effect any more. */
  dropped?: true;
  /** Its lease in the user's UserQuota (sockets across all objects), given back on close. */
  lease?: string;
  /** On a relay: the id the room addresses this socket by (relay.ts). */
  sid?: string;
}

/** Sockets one user may hold open in one object (a room or the lobby): tabs, not bots. */
export const MAX_SOCKETS_PER_USER = 10;

// deserializeAttachment() copies the attachment out of the runtime on every call, and every
// frame a socket sends needs its user: the object keeps the copy it last wrote or read.
const attachments = new WeakMap<WebSocket, Attachment>();

export function attachmentOf(ws: WebSocket): Attachment {
  let attachment = attachments.get(ws);
  if (!attachment) {
    attachment = ws.deserializeAttachment() as Attachment;
    attachments.set(ws, attachment);
  }
  return attachment;
}

/** Stores what survives hibernation with the socket, and keeps the copy. */
function attach(ws: WebSocket, attachment: Attachment): void {
  ws.serializeAttachment(attachment);
  attachments.set(ws, attachment);
}

function live(ws: WebSocket): boolean {
  return ws.readyState === WebSocket.OPEN && !attachmentOf(ws).dropped;
}

export class Connections {
  readonly presence = new Presence(() => this.ctx.getWebSockets().filter(live));

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly leases: SocketLeases,
  ) {}

  /**
   * Accepts an upgraded socket for `user`, or, past a per-user cap (MAX_SOCKETS_PER_USER
   * here, MAX_SOCKETS_PER_USER_TOTAL across all rooms and the lobby), answers it with
   * `quota_exceeded` and closes it with 4029. Returns whether the user just came online,
   * or null if the socket was refused.
   */
  async accept(
    ws: WebSocket,
    user: UserRef,
    sessionId: string,
    sid?: string,
  ): Promise<boolean | null> {
    if (this.full(user.id)) return this.refuseHere(ws);
    const grant = await this.leases.take(user.id);
    if (grant.refused === 'cap') {
      refuse(ws, CLOSE_CODES.tooManySockets, {
        type: 'error',
        code: 'quota_exceeded',
        message: `At most ${MAX_SOCKETS_PER_USER_TOTAL} connections per person in all; close a tab`,
      });
      return null;
    }
    if (grant.refused === 'rate') {
      refuse(ws, CLOSE_CODES.tryAgainLater, {
        type: 'error',
        code: 'rate_limited',
        message: 'Connecting too often; trying again shortly',
        retryAfterMs: grant.retryAfterMs,
      });
      return null;
    }
    const { lease } = grant;
    // Other upgrades of this user may have been accepted while the lease was taken.
    if (this.full(user.id)) {
      this.release(user.id, lease);
      return this.refuseHere(ws);
    }
    this.presence.size; // loads presence from the sockets before this one is accepted
    const tags = [user.id, `session:${sessionId}`];
    if (sid) tags.push(`sid:${sid}`);
    this.ctx.acceptWebSocket(ws, tags);
    attach(ws, { user, lease, ...(sid && { sid }) });
    return this.presence.add(ws, user);
  }

  /** The leases of `userId`'s sockets still open here (UserQuota reconciles with them). */
  openLeases(userId: string): string[] {
    return this.ctx
      .getWebSockets(userId)
      .filter(live)
      .flatMap((ws) => attachmentOf(ws).lease ?? []);
  }

  private full(userId: string): boolean {
    return this.ctx.getWebSockets(userId).filter(live).length >= MAX_SOCKETS_PER_USER;
  }

  private refuseHere(ws: WebSocket): null {
    refuse(ws, CLOSE_CODES.tooManySockets, {
      type: 'error',
      code: 'quota_exceeded',
      message: `At most ${MAX_SOCKETS_PER_USER} connections per person here; close a tab`,
    });
    return null;
  }

  /** Gives a socket's lease back, in the background (a lost release is reconciled later). */
  private release(userId: string, lease: string | undefined): void {
    if (!lease) return;
    this.ctx.waitUntil(this.leases.release(userId, lease).catch(() => {}));
  }

  /** The socket's user, or null if the server already dropped it (ignore what it sends). */
  userOf(ws: WebSocket): UserRef | null {
    const attachment = attachmentOf(ws);
    return attachment.dropped ? null : attachment.user;
  }

  /**
   * Closes a socket from this side, for good: presence forgets it now, not when the peer
   * answers, and anything it sends later is ignored. Returns its user if they went offline.
   */
  drop(ws: WebSocket, code: number, reason: string): UserRef | null {
    const attachment = attachmentOf(ws);
    if (attachment.dropped) return null;
    const offline = this.presence.remove(ws, attachment.user) ? attachment.user : null;
    attach(ws, { ...attachment, dropped: true });
    this.release(attachment.user.id, attachment.lease);
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
    return offline;
  }

  /**
   * The client closed (or the connection failed). The hibernation API does not answer a
   * client's close frame by itself: without this reply every close ends as 1006 on the client.
   * Returns the user if they went offline.
   */
  closed(ws: WebSocket, code?: number): UserRef | null {
    const reply = code === 1000 || (code !== undefined && code >= 3000 && code <= 4999);
    try {
      ws.close(reply ? code : 1000, 'Closed');
    } catch {
      // already closed, or the connection failed
    }
    const attachment = attachmentOf(ws);
    if (attachment.dropped) return null;
    this.release(attachment.user.id, attachment.lease);
    return this.presence.remove(ws, attachment.user) ? attachment.user : null;
  }

  /** A renamed user: their sockets' attachments and the online list carry the new name. */
  rename(user: UserRef): void {
    for (const ws of this.ctx.getWebSockets(user.id)) {
      const attachment = attachmentOf(ws);
      attach(ws, { ...attachment, user });
    }
    this.presence.update(user);
  }

  /** The sockets of one user, of one session, or (`sid:<id>`) the one a relay addresses. */
  tagged(tag: string): WebSocket[] {
    return this.ctx.getWebSockets(tag);
  }

  /** Every live socket, except those of `exceptUser` when given. */
  targets(exceptUser?: string): WebSocket[] {
    const all = [...this.presence.sockets()];
    if (!exceptUser) return all;
    const own = new Set(this.ctx.getWebSockets(exceptUser));
    return all.filter((ws) => !own.has(ws));
  }
}

/**
 * The 101 answer to a forwarded upgrade, and the server's end of the new socket. The client
 * may name the `parlor.v1` subprotocol (browsers pass the token that way); it is echoed.
 */
export function upgrade(request: Request): { server: WebSocket; response: Response } {
  const pair = new WebSocketPair();
  const protocol = request.headers.get('sec-websocket-protocol')?.includes('parlor.v1');
  const response = new Response(null, {
    status: 101,
    webSocket: pair[0],
    headers: protocol ? { 'sec-websocket-protocol': 'parlor.v1' } : {},
  });
  return { server: pair[1], response };
}

/**
 * Answers an upgrade that will not be kept (over the cap, a bad cursor, a chat the user may
 * not open): one error frame, then a close whose reason is the frame's message (a browser
 * shows it). The socket is not hibernatable, so it never reaches an object's handlers.
 */
export function refuse(ws: WebSocket, code: number, frame: ServerFrame): void {
  ws.accept();
  ws.send(JSON.stringify(frame));
  ws.close(code, frame.type === 'error' ? closeReason(frame.message) : 'closed');
}

/** A close reason is at most 123 bytes of UTF-8 (RFC 6455): `close()` throws on a longer one. */
export function closeReason(text: string): string {
  const encoder = new TextEncoder();
  let reason = '';
  for (const char of text) {
    if (encoder.encode(reason + char).length > 123) break;
    reason += char;
  }
  return reason;
}
