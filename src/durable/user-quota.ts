/**
 * What one person may hold or spend across every chat and their hub shard together, kept by
 * one quota shard per user: `quota:<n>`, n = hash(user id) mod QUOTA_SHARDS, each shard keeping
 * the caps of its share of the users. (One object per user cost a SQLite database and an
 * object's memory per person online: 2,000 idle users held 2,000 of them. A shard holds no
 * more per user than a few rows, and the number of objects is bounded by configuration.) Rooms, relays and hubs are separate objects, so a cap kept in
 * each of them alone lets one user multiply it by the number of chats (1,000 room sockets,
 * 177 msg/s spread over 100 rooms).
 *
 * - Socket leases: an object takes one before it accepts a socket and gives it back when the
 *   socket closes. At the cap, leases whose object no longer holds the socket (a close that
 *   never reached us: a crash, a deploy) are reconciled by asking those objects.
 * - Message tokens: one bucket per user across chats, leased to rooms in small batches so a
 *   room's hot path stays synchronous (quota-client.ts). A room never gets more than the
 *   bucket holds, so the sum over all rooms stays under the cap; tokens a room does not use
 *   are lost to the user, never gained (batches only while the bucket is over half full).
 */
import { DurableObject } from 'cloudflare:workers';
import { HUB_OBJECT_PREFIX } from './hub-shards';
import { RateLimiter } from './rate-limit';
import {
  connectsPerUser,
  MAX_SOCKETS_PER_USER_TOTAL,
  messageRateAllChats,
  RELAY_OBJECT_PREFIX,
  ROOM_OBJECT_PREFIX,
} from './quota-rules';

// A lease this young may belong to a socket its object is still accepting: never reconciled.
const RECONCILE_MIN_AGE_MS = 10_000;

export interface TokenGrant {
  /** Tokens the room may spend now (0 when refused). */
  granted: number;
  /** When refused: ms until one token is back. */
  retryAfterMs: number;
  /** The bucket was at least half full: a room may lease ahead without starving the user. */
  ample: boolean;
}

export type SocketGrant =
  | { lease: string; refused?: undefined }
  | { refused: 'cap' }
  | { refused: 'rate'; retryAfterMs: number };

export class UserQuota extends DurableObject<Env> {
  /** Each user's message bucket across chats, by user id. */
  private readonly messages: RateLimiter;
  /** Each user's connects (connectsPerUser). */
  private readonly connects: RateLimiter;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const { burst, perSecond } = connectsPerUser(env);
    this.connects = new RateLimiter(burst, perSecond);
    const all = messageRateAllChats(env);
    this.messages = new RateLimiter(all.burst, all.perSecond);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS socket_leases (
         lease TEXT PRIMARY KEY, object TEXT NOT NULL, user_id TEXT NOT NULL, at INTEGER NOT NULL)`,
    );
    ctx.storage.sql.exec(
      'CREATE INDEX IF NOT EXISTS socket_leases_user ON socket_leases (user_id, at)',
    );
  }

  /**
   * A lease for one more socket of `userId` in `object` (`hub:<n>`, `room:<id>`,
   * `relay:<name>`); refused at MAX_SOCKETS_PER_USER_TOTAL once stale leases are cleared
   * (`cap`), or past connectsPerUser (`rate`, with when to try again).
   */
  async takeSocket(userId: string, object: string): Promise<SocketGrant> {
    if (this.count(userId) >= MAX_SOCKETS_PER_USER_TOTAL) await this.reconcile(userId);
    // Re-read after the awaits above: another take may have run meanwhile.
    if (this.count(userId) >= MAX_SOCKETS_PER_USER_TOTAL) return { refused: 'cap' };
    const retryAfterMs = this.connects.take(userId);
    if (retryAfterMs > 0) return { refused: 'rate', retryAfterMs };
    const lease = crypto.randomUUID();
    this.ctx.storage.sql.exec(
      'INSERT INTO socket_leases (lease, object, user_id, at) VALUES (?, ?, ?, ?)',
      lease,
      object,
      userId,
      Date.now(),
    );
    return { lease };
  }

  async releaseSocket(lease: string): Promise<void> {
    this.ctx.storage.sql.exec('DELETE FROM socket_leases WHERE lease = ?', lease);
  }

  /** Sockets `userId` has leased now (tests). */
  async socketCount(userId: string): Promise<number> {
    return this.count(userId);
  }

  /**
   * Up to `want` message tokens from the user's bucket across chats (`burst`, refilled at
   * `perSecond`, from configuration). Kept in memory: after an eviction the user starts with
   * a full bucket, at most one extra burst per eviction of an object that is busy.
   */
  async leaseTokens(userId: string, want: number): Promise<TokenGrant> {
    const { burst, perSecond } = messageRateAllChats(this.env);
    const bucket = this.messages.refilled(userId);
    // A batch only while the bucket is over half full: tokens a room leased and did not use
    // are lost to the user, so near the cap each room gets one at a time.
    const ample = bucket.tokens >= burst / 2;
    const granted = Math.min(Math.floor(bucket.tokens), ample ? Math.max(1, want) : 1);
    if (granted >= 1) {
      bucket.tokens -= granted;
      return { granted, retryAfterMs: 0, ample };
    }
    return {
      granted: 0,
      retryAfterMs: Math.ceil(((1 - bucket.tokens) / perSecond) * 1000),
      ample: false,
    };
  }

  private count(userId: string): number {
    return this.ctx.storage.sql
      .exec<{ n: number }>('SELECT count(*) AS n FROM socket_leases WHERE user_id = ?', userId)
      .one().n;
  }

  /** Asks each object holding old leases which it still has open; forgets the rest. */
  private async reconcile(userId: string): Promise<void> {
    const rows = this.ctx.storage.sql
      .exec<{ lease: string; object: string }>(
        'SELECT lease, object FROM socket_leases WHERE user_id = ? AND at < ?',
        userId,
        Date.now() - RECONCILE_MIN_AGE_MS,
      )
      .toArray();
    const byObject = new Map<string, string[]>();
    for (const row of rows)
      byObject.set(row.object, [...(byObject.get(row.object) ?? []), row.lease]);
    await Promise.all(
      [...byObject].map(async ([object, leases]) => {
        let open: string[];
        try {
          open = (await this.holder(object)?.openLeases(userId)) ?? [];
        } catch {
          return; // unsure: keep them
        }
        const stale = leases.filter((lease) => !open.includes(lease));
        for (const lease of stale) {
          this.ctx.storage.sql.exec('DELETE FROM socket_leases WHERE lease = ?', lease);
        }
      }),
    );
  }

  /** The object a lease names; null for one that no longer exists (the single lobby's). */
  private holder(object: string): { openLeases(userId: string): Promise<string[]> } | null {
    if (object.startsWith(HUB_OBJECT_PREFIX)) {
      return this.env.HUB.get(this.env.HUB.idFromName(object));
    }
    if (object.startsWith(RELAY_OBJECT_PREFIX)) {
      const name = object.slice(RELAY_OBJECT_PREFIX.length);
      return this.env.RELAY.get(this.env.RELAY.idFromName(name));
    }
    if (object.startsWith(ROOM_OBJECT_PREFIX)) {
      const roomId = object.slice(ROOM_OBJECT_PREFIX.length);
      return this.env.ROOM.get(this.env.ROOM.idFromName(roomId));
    }
    return null;
  }
}
