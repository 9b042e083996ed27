/**
 * Re-reads of chat-list rows, one at a time per chat. A chat asked for again while its row is
 * being read is read once more after: answers land in the order they were asked for, and a
 * burst of notices costs two reads, not one each (tests/unit/chat-list.test.ts).
 */

/**
 * `read(id)` reads and applies one row; it answers true when the answer was older than the
 * live row (a notice that arrived meanwhile is newer than the server's copy, which may lag
 * it until its next copy to D1) and was not applied. Such a read is tried again after
 * `pauseMs`, up to `tries` reads in all; then the live row stands until the next notice.
 */
export function rowReads(
  read: (id: string) => Promise<boolean>,
  { tries = 4, pauseMs = 150 }: { tries?: number; pauseMs?: number } = {},
): (id: string) => Promise<void> {
  const reading = new Map<string, { again: boolean; done: Promise<void> }>();

  async function loop(id: string, state: { again: boolean }): Promise<void> {
    try {
      for (let n = 0; n < tries; n += 1) {
        state.again = false;
        const stale = await read(id);
        if (!stale && !state.again) return;
        if (stale) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    } finally {
      reading.delete(id);
    }
  }

  return (id) => {
    const current = reading.get(id);
    if (current) {
      current.again = true;
      return current.done;
    }
    const state = { again: false, done: Promise.resolve() };
    reading.set(id, state);
    state.done = loop(id, state);
    return state.done;
  };
}
