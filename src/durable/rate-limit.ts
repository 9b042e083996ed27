/**
 * A token bucket per user: `burst` messages at once, refilled at `perSecond`. Kept in
 * memory: after hibernation a user starts with a full bucket, which is at most one extra
 * burst per wake. Past BUCKETS_KEPT users, the buckets that have refilled are forgotten.
 */
/** Buckets kept before the full ones are forgotten (one object may see many users). */
const BUCKETS_KEPT = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {}

  /** Takes a token; returns 0 if allowed, else how many ms until one is available. */
  take(key: string, now = Date.now()): number {
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.perSecond) * 1000);
  }

  /**
   * `key`'s bucket refilled to `now`, for callers that take more than one token at a time
   * (UserQuota's leases); the tokens they take come off `tokens`.
   */
  refilled(key: string, now = Date.now()): { tokens: number; at: number } {
    if (this.buckets.size >= BUCKETS_KEPT) this.forgetFull(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Drops the buckets that have refilled by now: a full bucket is the same as none. */
  private forgetFull(now: number): void {
    const refillMs = (this.burst / this.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at >= refillMs) this.buckets.delete(key);
    }
  }

  /** Gives back a token taken for a frame that another limit then refused. */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.burst, bucket.tokens + 1);
  }
}
