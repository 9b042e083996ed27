/**
 * Coalesces frames per socket under a frame budget. While the room sends fewer frames per
 * second than the budget, a frame leaves at the end of the current task, with no added
 * delay. Above it, frames wait until the budget allows the next send, and everything queued
 * for a socket leaves together as one `batch` frame: the room then sends a bounded number of
 * frames whatever the message rate (wrangler's local proxy relays only ~27,000 frames/s on
 * the development machine, and every frame costs CPU in production too).
 *
 * Frames are serialized once: a broadcast is one string shared by every socket's queue.
 */
export interface Sink {
  send(data: string): void;
}

export class Outbox<S extends Sink> {
  private readonly queues = new Map<S, string[]>();
  private scheduled = false;
  /** Frames sent beyond what the budget has paid back since; drains at framesPerSecond. */
  private debt = 0;
  private paidAt = Date.now();

  /**
   * @param framesPerSecond sustained frames this outbox may send per second
   * @param burst frames it may send at once; a send after a quiet spell is never held,
   *   however many sockets it reaches
   */
  constructor(
    private readonly framesPerSecond: number,
    private readonly burst: number,
    private readonly onSendError: (socket: S) => void = () => {},
  ) {}

  /** Queues one serialized frame for each socket. */
  push(sockets: Iterable<S>, frame: string): void {
    for (const socket of sockets) {
      const queue = this.queues.get(socket);
      if (queue) queue.push(frame);
      else this.queues.set(socket, [frame]);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.queues.size === 0) return;
    this.scheduled = true;
    this.payBack();
    const allowed = Math.max(0, this.burst - this.queues.size);
    const excess = this.debt - allowed;
    if (this.debt === 0 || excess <= 0) queueMicrotask(() => this.flush());
    else setTimeout(() => this.flush(), Math.ceil((excess / this.framesPerSecond) * 1000));
  }

  private payBack(): void {
    const now = Date.now();
    this.debt = Math.max(0, this.debt - ((now - this.paidAt) / 1000) * this.framesPerSecond);
    this.paidAt = now;
  }

  /** Sends everything queued now. */
  flush(): void {
    this.scheduled = false;
    this.payBack();
    this.debt += this.queues.size;
    const queues = [...this.queues];
    this.queues.clear();
    for (const [socket, frames] of queues) {
      const data =
        frames.length === 1 ? frames[0]! : `{"type":"batch","frames":[${frames.join(',')}]}`;
      try {
        socket.send(data);
      } catch {
        this.onSendError(socket);
      }
    }
  }
}
