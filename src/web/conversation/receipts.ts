/**
 * "Seen" in a DM: how far the other member has read, from `GET /api/rooms/:id/receipt` when
 * the socket opens and from live `read` frames after. The cursor only grows, so whichever
 * arrives last, the larger value stands.
 */
import { signal } from '@preact/signals';
import type { Api } from '../api/endpoints';

export function createReceipts(api: Api, roomId: string, enabled: boolean) {
  const peerRead = signal<number | null>(null);
  const dm = roomId.startsWith('dm:') && enabled;
  const raise = (seq: number | null) => {
    if (seq !== null && seq > (peerRead.peek() ?? 0)) peerRead.value = seq;
  };
  return {
    peerRead,
    /** The socket (re)opened: what was read while it was down. */
    opened() {
      if (dm) api.receipt(roomId).then(raise, () => {});
    },
    read(seq: number) {
      if (dm) raise(seq);
    },
  };
}
