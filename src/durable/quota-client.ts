/**
 * The Room's and the Lobby's side of the per-user caps kept by UserQuota (user-quota.ts):
 * socket leases taken at upgrade and given back on close, and message tokens leased in small
 * batches so most frames are checked without leaving the room.
 */
import { messageRateAllChats } from './quota-rules';

export function userQuotaStub(env: Env, userId: string) {
  return env.USER_QUOTA.get(env.USER_QUOTA.idFromName(userId));
}

export class SocketLeases {
  constructor(
    private readonly env: Env,
    /** `hub:<n>`, `room:<id>` or `relay:<name>`: where UserQuota asks when it reconciles. */
    private readonly object: () => string,
  ) {}

  /** A lease for one more socket, or null when the user is at the cap across all objects. */
  take(userId: string): Promise<string | null> {
    return userQuotaStub(this.env, userId).takeSocket(userId, this.object());
  }

  release(userId: string, lease: string): Promise<void> {
    return userQuotaStub(this.env, userId).releaseSocket(lease);
  }
}

export class MessageTokens {
  private readonly held = new Map<string, number>();
  private readonly refusedUntil = new Map<string, number>();
  private readonly batch: number;

  constructor(private readonly env: Env) {
    // About half a second of the rate per lease: one round trip per few messages.
    const { perSecond } = messageRateAllChats(env);
    this.batch = Math.min(50, Math.max(1, Math.ceil(perSecond / 2)));
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
      return 0;
    }
    const wait = (this.refusedUntil.get(userId) ?? 0) - Date.now();
    if (wait > 0) return wait;
    return this.lease(userId);
  }

  private async lease(userId: string): Promise<number> {
    const grant = await userQuotaStub(this.env, userId).leaseTokens(this.batch);
    if (grant.granted === 0) {
      this.refusedUntil.set(userId, Date.now() + grant.retryAfterMs);
      return grant.retryAfterMs;
    }
    this.held.set(userId, (this.held.get(userId) ?? 0) + grant.granted - 1);
    return 0;
  }
}
