/**
 * Coalesces frames per socket under a frame budget. While the room sends fewer frames per
 * second than the budget, a frame leaves at the end of the current task, with no added
 * delay, bursts included (a bucket of three periods' share). Above it, frames wait for the
 * end of the current accounting period (20 ms), and everything queued for a socket leaves
 * together as one `batch` frame: the room then sends a bounded number of frames whatever the
 * message rate (wrangler's local proxy relays only ~27,000 frames/s on the development
 * machine, and every frame costs CPU in production too).
 *
 * Frames are serialized once: a broadcast is one string shared by every socket's queue.
 */
import { LIMITS } from '../shared/limits';

export interface FrameBudget {
  framesPerSecond: number;
  /** How finely the budget is accounted: the longest a frame waits when over it. */
  periodMs: number;
  /**
   * How many periods' share may go at once (default 1). Messages do not arrive evenly: with
   * five people sending 20 a second each into 50 sockets (5,000 frames/s, under a 6,000
   * budget) and no carry-over, 1–2% of the room's sends waited for a period's end (up to
   * 20 ms; the benchmark's scenario 1); with three periods' share, none did.
   */
  burstPeriods?: number;
}

/**
 * A room's or relay's frame budget from configuration (ROOM_FRAMES_PER_SECOND,
 * ROOM_FRAME_PERIOD_MS, ROOM_FRAME_BURST_PERIODS): 6,000 frames/s over 20 ms periods, bursts
 * of three periods' share, unless set.
 */
export function frameBudget(env: Env): FrameBudget {
  return {
    framesPerSecond: Number(env.ROOM_FRAMES_PER_SECOND) || 6000,
    periodMs: Number(env.ROOM_FRAME_PERIOD_MS) || 20,
    burstPeriods: Number(env.ROOM_FRAME_BURST_PERIODS) || 3,
  };
}

/** Frames one socket's queue may hold before it is sent without waiting for the period. */
export const MAX_BATCH = 64;

export interface Sink {
  send(data: string): void;
}

/*
 * Slow readers. workerd declares `bufferedAmount` on a Durable Object's sockets but leaves
 * it undefined (cloudflare/workerd#988), and `send()` never pushes back, so the object
 * cannot see a socket's backlog. Clients therefore acknowledge what they read (`received`
 * frames, every LIMITS.receiptChars), and the outbox counts what each socket was sent since:
 * one more than LIMITS.unsentChars behind is dropped (the room closes it with 4000, resume).
 * A reader that stops reading costs at most that much plus one frame. The counts live in
 * memory: after hibernation every socket starts at zero, which only errs towards patience.
 */

export class Outbox<S extends Sink> {
  private readonly queues = new Map<S, string[]>();
  /** Characters sent to each socket and not yet acknowledged by a receipt. */
  private readonly unacked = new WeakMap<S, number>();
  private readonly perPeriod: number;
  private readonly periodMs: number;
  private readonly burst: number;
  /** Frames sent and not yet paid back: each period's end takes a period's share off. */
  private spent = 0;
  private periodRunning = false;
  private state: 'idle' | 'soon' | 'waiting' = 'idle';
  /** Sends of queued frames, and how many of them had waited for the budget (the benchmark). */
  readonly stats = { flushes: 0, held: 0 };

  constructor(
    budget: FrameBudget,
    private readonly onSendError: (socket: S, why: 'send_failed' | 'too_slow') => void = () => {},
    private readonly maxUnackedChars: number = LIMITS.unsentChars,
  ) {
    this.periodMs = budget.periodMs;
    this.perPeriod = Math.max(1, Math.floor((budget.framesPerSecond * budget.periodMs) / 1000));
    this.burst = this.perPeriod * (budget.burstPeriods ?? 1);
  }

  /** A receipt from the socket: it has read `chars` more characters of what it was sent. */
  received(socket: S, chars: number): void {
    const unacked = this.unacked.get(socket);
    if (unacked !== undefined) this.unacked.set(socket, Math.max(0, unacked - chars));
  }

  /** Queues one serialized frame for each socket. */
  push(sockets: Iterable<S>, frame: string): void {
    let longest = 0;
    for (const socket of sockets) {
      const queue = this.queues.get(socket);
      if (queue) longest = Math.max(longest, queue.push(frame));
      else this.queues.set(socket, [frame]);
    }
    // A batch this long goes now, whether or not the period has ended: under a backlog of
    // incoming frames the runtime may run the period's timer late (seen: batches of ~500
    // frames a second apart on an overloaded machine), and output must not wait for it.
    if (this.state === 'waiting' && longest >= MAX_BATCH) this.flush();
    else this.schedule();
  }

  // Timers, not clock arithmetic: inside a Durable Object Date.now() does not advance while
  // the object is busy, so a budget computed from it would never refill under load.
  private schedule(): void {
    if (this.state !== 'idle' || this.queues.size === 0) return;
    // The first send after a quiet spell always goes, however many sockets it reaches.
    if (this.spent === 0 || this.spent + this.queues.size <= this.burst) {
      this.state = 'soon';
      queueMicrotask(() => this.flush());
    } else {
      this.state = 'waiting'; // the period's end sends it
    }
  }

  private startPeriod(): void {
    if (this.periodRunning) return;
    this.periodRunning = true;
    setTimeout(() => {
      this.periodRunning = false;
      this.spent = Math.max(0, this.spent - this.perPeriod);
      if (this.state === 'waiting') this.flush();
      else if (this.spent > 0) this.startPeriod();
    }, this.periodMs);
  }

  /** Sends everything queued now. */
  flush(): void {
    const held = this.state === 'waiting';
    this.state = 'idle';
    if (this.queues.size === 0) return;
    this.stats.flushes += 1;
    if (held) this.stats.held += 1;
    this.spent += this.queues.size;
    this.startPeriod();
    const queues = [...this.queues];
    this.queues.clear();
    // Broadcasts put the same strings in every queue in the same order, so most sockets'
    // batches are equal: each is built once and shared with the sockets after it.
    let previous: { frames: string[]; data: string } | null = null;
    for (const [socket, frames] of queues) {
      const unacked = this.unacked.get(socket) ?? 0;
      if (unacked > this.maxUnackedChars) {
        this.unacked.delete(socket);
        this.onSendError(socket, 'too_slow');
        continue;
      }
      let data: string;
      if (frames.length === 1) data = frames[0]!;
      else if (previous && sameFrames(previous.frames, frames)) data = previous.data;
      else {
        data = `{"type":"batch","frames":[${frames.join(',')}]}`;
        previous = { frames, data };
      }
      this.unacked.set(socket, unacked + data.length);
      try {
        socket.send(data);
      } catch {
        this.onSendError(socket, 'send_failed');
      }
    }
  }
}

/** The same frames in the same order (the same strings: a broadcast's is shared). */
function sameFrames(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
