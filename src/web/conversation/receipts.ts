/**
 * "Seen" in a DM: how far each other member has read, from `GET /api/rooms/:id/receipt` when
 * the socket opens and from live `read` frames after. Cursors only grow, so whichever
 * arrives last, the larger value stands. A pair's mark says "Seen"; a group's says who.
 */
import { signal } from '@preact/signals';
import type { Api } from '../api/endpoints';

export function createReceipts(api: Api, roomId: string, enabled: boolean) {
  /** Each other member's cursor, by id (only members who share receipts). */
  const reads = signal<ReadonlyMap<string, number>>(new Map());
  const dm = roomId.startsWith('dm:') && enabled;
  const raise = (user: string, seq: number) => {
    const known = reads.peek();
    if (seq > (known.get(user) ?? 0)) reads.value = new Map(known).set(user, seq);
  };
  return {
    reads,
    /** The socket (re)opened: what was read while it was down. */
    opened() {
      if (dm)
        api.receipt(roomId).then(
          (r) => r.reads.forEach((x) => raise(x.userId, x.seq)),
          () => {},
        );
    },
    read(seq: number, user: string) {
      if (dm) raise(user, seq);
    },
  };
}
