/**
 * The Room's and the Lobby's side of the per-user caps kept by UserQuota (user-quota.ts):
 * socket leases taken at upgrade and given back on close, and message tokens leased in small
 * batches so most frames are checked without leaving the room.
 */
import { hubShardOf } from './hub-shards';
import { messageRateAllChats, quotaShardCount } from './quota-rules';
import type { SocketGrant } from './user-quota';

/** The quota shard keeping `userId`'s caps: `quota:<n>` (user-quota.ts). */
export function userQuotaStub(env: Env, userId: string) {
  const shard = hubShardOf(userId, quotaShardCount(env));
  return env.USER_QUOTA.get(env.USER_QUOTA.idFromName(`quota:${shard}`));
}

export class SocketLeases {
  constructor(
    private readonly env: Env,
    /** `hub:<n>`, `room:<id>` or `relay:<name>`: where UserQuota asks when it reconciles. */
    private readonly object: () => string,
  ) {}

  /** A lease for one more socket, or why not: at the cap across all objects, or too fast. */
  take(userId: string): Promise<SocketGrant> {
    return userQuotaStub(this.env, userId).takeSocket(userId, this.object());
  }

  release(userId: string, lease: string): Promise<void> {
    return userQuotaStub(this.env, userId).releaseSocket(lease);
  }
}

/**
 * A room's share of each user's message tokens. Leases go ahead of need: when a user's held
 * tokens fall to half a batch and their bucket was at least half full, the next batch is asked
 * for in the background, so a steady sender's messages do not wait for a round trip to
 * UserQuota (at the production rate a batch is one token: without leasing ahead, every
 * message would). Near the cap nothing is leased ahead: a token held here and never used is
 * one the user cannot spend in another chat.
 */
export class MessageTokens {
  private readonly held = new Map<string, number>();
  private readonly refusedUntil = new Map<string, number>();
  /** Whether the user's bucket was at least half full at the last grant. */
  private readonly ample = new Map<string, boolean>();
  /** The lease in flight per user: concurrent frames share it instead of each asking. */
  private readonly pending = new Map<string, Promise<void>>();
  private readonly batch: number;
  private readonly lowWater: number;

  constructor(private readonly env: Env) {
    // About half a second of the rate per lease: one round trip per few messages.
    const { perSecond } = messageRateAllChats(env);
    this.batch = Math.min(50, Math.max(1, Math.ceil(perSecond / 2)));
    this.lowWater = Math.floor(this.batch / 2);
  }

  /**
   * Takes one token of `userId`'s bucket across chats: 0 if allowed, else ms to wait. A
   * number when the room could decide alone (a token held, or a refusal still running), a
   * promise when it had to ask for more.
   */
  take(userId: string): number | Promise<number> {
    const held = this.held.get(userId) ?? 0;
    if (held > 0) {
      this.held.set(userId, held - 1);
      if (held - 1 <= this.lowWater && this.ample.get(userId) && !this.pending.has(userId)) {
        // A failed lease ahead is only a missed head start: the next take asks again.
        this.lease(userId).catch(() => {});
      }
      return 0;
    }
    const wait = (this.refusedUntil.get(userId) ?? 0) - Date.now();
    if (wait > 0) return wait;
    // After the lease, tokens are held or a refusal is running: the second take decides.
    return this.lease(userId).then(() => this.take(userId));
  }

  private lease(userId: string): Promise<void> {
    const inFlight = this.pending.get(userId);
    if (inFlight) return inFlight;
    const lease = userQuotaStub(this.env, userId)
      .leaseTokens(userId, this.batch)
      .then((grant) => {
        this.ample.set(userId, grant.ample);
        if (grant.granted === 0) {
          this.refusedUntil.set(userId, Date.now() + grant.retryAfterMs);
        } else {
          this.held.set(userId, (this.held.get(userId) ?? 0) + grant.granted);
        }
      })
      .finally(() => this.pending.delete(userId));
    this.pending.set(userId, lease);
    return lease;
  }
}
