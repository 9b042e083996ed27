/**
 * Bounds password hashing in this isolate. scrypt costs ~175 ms of CPU a hash and workerd
 * runs it on the isolate's one thread: a burst of unauthenticated sign-ins once queued 100
 * of them and stalled a signed-in user's `GET /api/me` for ~15 s. A sign-in holds a slot
 * from its first D1 read to the end of its hash (holding it for the hash alone would bound
 * nothing, since a synchronous hash never overlaps another). At most `running` hold a slot
 * and at most `waiting` wait; one beyond that is refused at once with 503 `server_busy` and
 * Retry-After, so the hashes queued in the isolate (and the delay anything else can
 * suffer) stay a few long.
 *
 * Waiters poll on their own timer instead of being woken by the request that frees a slot:
 * Workers cannot resolve one request's promise from another's context (the waiter would be
 * cancelled as hung). Slots and places in the queue are leases, so a request the runtime
 * cancels mid-way cannot keep one for ever.
 */
import { ApiError } from '../errors';

const POLL_MS = 5;
const LEASE_MS = 10_000;

export class HashGate {
  /** Who holds a slot or waits for one, with when they were last seen alive. */
  private readonly holders = new Map<object, number>();
  private readonly waiters = new Map<object, number>();

  constructor(
    readonly running: number,
    readonly waiting: number,
  ) {}

  /** Runs `work` when a slot is free; throws 503 `server_busy` if the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const me = {};
    this.forgetStale();
    if (this.holders.size >= this.running || this.waiters.size > 0) {
      if (this.waiters.size >= this.waiting) throw serverBusy();
      this.waiters.set(me, Date.now());
      try {
        while (this.holders.size >= this.running) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          this.waiters.set(me, Date.now());
          this.forgetStale();
        }
      } finally {
        this.waiters.delete(me);
      }
    }
    this.holders.set(me, Date.now());
    try {
      return await work();
    } finally {
      this.holders.delete(me);
    }
  }

  get busy(): { active: number; queued: number } {
    return { active: this.holders.size, queued: this.waiters.size };
  }

  private forgetStale(): void {
    const stale = Date.now() - LEASE_MS;
    for (const map of [this.holders, this.waiters]) {
      for (const [who, seen] of map) if (seen < stale) map.delete(who);
    }
  }
}

function serverBusy(): ApiError {
  return new ApiError(
    503,
    'server_busy',
    'Too many sign-ins at once; try again in a moment',
    undefined,
    1,
  );
}

/** The isolate's gate: two sign-ins at once, four waiting. */
export const hashGate = new HashGate(2, 4);
