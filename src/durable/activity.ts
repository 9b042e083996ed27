/**
 * Chat-list notices from a room to the lobby: at most one per ACTIVITY_INTERVAL_MS however
 * many messages arrive (`count` since the previous notice, the newest message), so the
 * lobby's cost does not grow with the message rate.
 */
import type { RoomEvent } from '../shared/protocol';
import type { RoomInfo } from './room-info';
import { lobbyStub } from './room-info';

const ACTIVITY_INTERVAL_MS = 250;

export class ActivityNotices {
  private count = 0;
  private last: RoomEvent | null = null;
  private timer = false;

  constructor(
    private readonly env: Env,
    private readonly room: () => { info: RoomInfo | null; lastSeq: number; online: number },
  ) {}

  note(event: RoomEvent): void {
    this.count += 1;
    this.last = event;
    if (this.timer) return;
    this.timer = true;
    setTimeout(() => void this.send(), ACTIVITY_INTERVAL_MS);
  }

  private async send(): Promise<void> {
    const { count, last } = this;
    this.count = 0;
    this.last = null;
    this.timer = false;
    const { info, lastSeq, online } = this.room();
    if (!last || last.type !== 'message' || !info) return;
    try {
      await lobbyStub(this.env).activity(
        {
          type: 'activity',
          roomId: info.id,
          kind: info.kind,
          seq: lastSeq,
          count,
          at: last.message.createdAt,
          last: last.message,
        },
        info.members ?? null,
        online,
      );
    } catch (err) {
      console.error('activity notice failed', err);
    }
  }
}
