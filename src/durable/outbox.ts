/**
 * Coalesces frames per socket under a frame budget. While the room sends fewer frames per
 * second than the budget, a frame leaves at the end of the current task, with no added
 * delay. Above it, frames wait for the end of the current accounting period (20 ms), and
 * everything queued for a socket leaves together as one `batch` frame: the room then sends a bounded number of
 * frames whatever the message rate (wrangler's local proxy relays only ~27,000 frames/s on
 * the development machine, and every frame costs CPU in production too).
 *
 * Frames are serialized once: a broadcast is one string shared by every socket's queue.
 */
export interface Sink {
  send(data: string): void;
  /** Bytes handed to the runtime but not yet written to the network (a slow reader's backlog). */
  readonly bufferedAmount?: number;
}

/**
 * A socket's backlog past which it is dropped (the room closes it with 4000, "resume"): a
 * reader that stops reading costs at most this much, plus the one frame that crossed it.
 * A full replay (1,000 events of up to 4,000 characters) fits in one frame below it.
 * Only where the runtime reports `bufferedAmount`: workerd declares it but leaves it
 * undefined today (cloudflare/workerd#988), so slow readers are not bounded yet.
 */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export class Outbox<S extends Sink> {
  private readonly queues = new Map<S, string[]>();
  private readonly perPeriod: number;
  /** Frames sent in the current period. */
  private spent = 0;
  private periodRunning = false;
  private state: 'idle' | 'soon' | 'waiting' = 'idle';

  /**
   * @param framesPerSecond frames this outbox may send per second before it batches
   * @param periodMs how finely the budget is accounted: the longest a frame waits when over it
   */
  constructor(
    framesPerSecond: number,
    private readonly periodMs: number,
    private readonly onSendError: (socket: S, why: 'send_failed' | 'too_slow') => void = () => {},
    private readonly maxBufferedBytes = MAX_BUFFERED_BYTES,
  ) {
    this.perPeriod = Math.max(1, Math.floor((framesPerSecond * periodMs) / 1000));
  }

  /** Queues one serialized frame for each socket. */
  push(sockets: Iterable<S>, frame: string): void {
    for (const socket of sockets) {
      const queue = this.queues.get(socket);
      if (queue) queue.push(frame);
      else this.queues.set(socket, [frame]);
    }
    this.schedule();
  }

  // Timers, not clock arithmetic: inside a Durable Object Date.now() does not advance while
  // the object is busy, so a budget computed from it would never refill under load.
  private schedule(): void {
    if (this.state !== 'idle' || this.queues.size === 0) return;
    // The first send of a period always goes, however many sockets it reaches.
    if (this.spent === 0 || this.spent + this.queues.size <= this.perPeriod) {
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
      this.spent = 0;
      if (this.state === 'waiting') this.flush();
    }, this.periodMs);
  }

  /** Sends everything queued now. */
  flush(): void {
    this.state = 'idle';
    if (this.queues.size === 0) return;
    this.spent += this.queues.size;
    this.startPeriod();
    const queues = [...this.queues];
    this.queues.clear();
    for (const [socket, frames] of queues) {
      if ((socket.bufferedAmount ?? 0) > this.maxBufferedBytes) {
        this.onSendError(socket, 'too_slow');
        continue;
      }
      const data =
        frames.length === 1 ? frames[0]! : `{"type":"batch","frames":[${frames.join(',')}]}`;
      try {
        socket.send(data);
      } catch {
        this.onSendError(socket, 'send_failed');
      }
    }
  }
}
