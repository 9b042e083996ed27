/**
 * Chat-list notices from a room to the hub shards: at most one per ACTIVITY_INTERVAL_MS
 * however many messages arrive (`count` since the previous notice, the newest message), and
 * one call per shard that has a member online (a DM's: its two members' shards), so a
 * notice costs the room at most the number of shards, never the number of members.
 */
import { mentionsIn } from '../shared/mentions';
import type { RoomEvent } from '../shared/protocol';
import { byShard, hubStub } from './hub-shards';
import type { HubSubscribers } from './hub-subscribers';
import type { RoomInfo } from './room-info';

const ACTIVITY_INTERVAL_MS = 250;

export class ActivityNotices {
  private count = 0;
  private last: RoomEvent | null = null;
  private readonly mentioned = new Set<string>();
  private timer = false;

  constructor(
    private readonly env: Env,
    private readonly subscribers: HubSubscribers,
    private readonly room: () => { info: RoomInfo | null; lastSeq: number },
  ) {}

  note(event: RoomEvent): void {
    this.count += 1;
    this.last = event;
    if (event.type === 'message') {
      for (const id of mentionsIn(event.message.text)) this.mentioned.add(id);
    }
    if (this.timer) return;
    this.timer = true;
    setTimeout(() => void this.send(), ACTIVITY_INTERVAL_MS);
  }

  private async send(): Promise<void> {
    const { count, last } = this;
    const mentioned = [...this.mentioned].slice(0, 50);
    this.count = 0;
    this.last = null;
    this.mentioned.clear();
    this.timer = false;
    const { info, lastSeq } = this.room();
    if (!last || last.type !== 'message' || !info) return;
    const frame = {
      type: 'activity' as const,
      roomId: info.id,
      kind: info.kind,
      seq: lastSeq,
      count,
      at: last.message.createdAt,
      last: last.message,
      ...(mentioned.length > 0 && { mentioned }),
    };
    const members = info.members ?? null;
    const shards = members ? [...byShard(this.env, members).keys()] : this.subscribers.shards();
    await Promise.all(
      shards.map(async (shard) => {
        try {
          const { unsubscribe } = await hubStub(this.env, shard).activity(frame, members);
          if (unsubscribe !== undefined) this.subscribers.remove(shard, unsubscribe);
        } catch (err) {
          console.error('activity notice failed', shard, err);
        }
      }),
    );
  }
}
