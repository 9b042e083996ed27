/**
 * Frames from one socket are handled one after another. Most handlers finish without an
 * await, but some wait (a token lease across chats, an edit of a message only D1 still has);
 * meanwhile the runtime delivers the socket's next frames, which would otherwise overtake it.
 */
export class InOrder<K> {
  private readonly tails = new Map<K, Promise<void>>();

  run(key: K, task: () => Promise<void>): Promise<void> {
    const tail = this.tails.get(key);
    // No frame pending: start now (synchronously up to its first await, as before).
    const next = tail ? tail.then(task, task) : task();
    this.tails.set(key, next);
    const forget = () => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    };
    next.then(forget, forget);
    return next;
  }
}
