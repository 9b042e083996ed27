/**
 * Waiting helpers shared by the workerd (integration) and Node (end-to-end) tests: a frame
 * queue that flattens `batch` frames and waits on frames with a timeout, and `eventually`.
 */
export interface Frame {
  type: string;
  [key: string]: unknown;
}

export class FrameQueue {
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number; reason: string } | null = null;

  push(raw: string): void {
    const frame = JSON.parse(raw) as Frame;
    const list = frame.type === 'batch' ? (frame.frames as Frame[]) : [frame];
    this.frames.push(...list);
    this.wake();
  }

  close(code: number, reason: string): void {
    this.closed = { code, reason };
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Removes and returns the first frame matching `match`, waiting up to `timeoutMs`. */
  async take(match: (f: Frame) => boolean, timeoutMs = 5000, what = 'frame'): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(match);
      if (index >= 0) return this.frames.splice(index, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out waiting for ${what}${this.closed ? ` (closed: ${JSON.stringify(this.closed)})` : ''}; ` +
            `have ${this.frames.length}: ${JSON.stringify(this.frames).slice(0, 500)}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the socket closes. */
  async closedWith(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('timed out waiting for close');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  ofType(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }
}

export const byType = (type: string) => (f: Frame) => f.type === type;

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
