/**
 * When the room copies its log to D1: SYNC_LINGER_MS after the first un-copied event (so a
 * steady trickle shares batches), one copy at a time (events arriving meanwhile go in the
 * next one: group commit), and an alarm as the retry when a copy fails or the object is
 * evicted first. What a copy contains is d1-sync.ts.
 */
import type { D1Stats } from './d1-sync';
import { syncStatements } from './d1-sync';
import type { EventLog } from './event-log';

// Flush to D1 at most this many events per batch; the rest go in the next one.
const SYNC_BATCH = 2000;
// If a D1 copy fails (or the object is evicted first) the alarm retries it.
const SYNC_RETRY_MS = 5000;
// Events wait this long for company before a copy to D1 starts.
const SYNC_LINGER_MS = 100;

export class D1Copy {
  readonly stats: D1Stats = { d1Statements: 0, d1Batches: 0 };
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private timer = false;
  private alarmArmed = false;
  /** Callers of `copied`, each waiting for the copy to reach its seq. */
  private waiters: { seq: number; done: () => void }[] = [];

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly db: D1Database,
    private readonly log: EventLog,
    private readonly roomId: () => string,
  ) {}

  /** Acks never wait for this; only history read from D1 lags by it. */
  schedule(): void {
    if (!this.alarmArmed) {
      this.alarmArmed = true;
      void this.ctx.storage.setAlarm(Date.now() + SYNC_RETRY_MS);
    }
    if (this.timer) return;
    this.timer = true;
    setTimeout(() => {
      this.timer = false;
      this.run().catch((err) => console.error('room sync failed; the alarm retries', err));
    }, SYNC_LINGER_MS);
  }

  /** Resolves once every event up to `seq` is in D1 (by the usual copies). */
  copied(seq: number): Promise<void> {
    if (!this.log.hasUnflushed()) return Promise.resolve();
    return new Promise((done) => {
      this.waiters.push({ seq, done });
      this.schedule();
    });
  }

  private wake(flushed: number): void {
    const ready = this.waiters.filter((w) => w.seq <= flushed);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.seq > flushed);
    for (const w of ready) w.done();
  }

  /** The retry alarm fired (the runtime deletes a fired alarm). */
  alarmFired(): void {
    this.alarmArmed = false;
  }

  /** Copies everything un-copied now; joins the copy in flight if there is one. */
  run(): Promise<void> {
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
          const statements = syncStatements(this.db, this.roomId(), rows);
          await this.db.batch(statements);
          this.stats.d1Statements += statements.length;
          this.stats.d1Batches += 1;
          this.log.markFlushed(rows[rows.length - 1]!.seq);
          this.wake(rows[rows.length - 1]!.seq);
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
}
