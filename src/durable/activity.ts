/**
 * Chat-list notices from a room to the hub shards: at most one per ACTIVITY_INTERVAL_MS
 * however many messages arrive (`count` since the previous notice, the newest message), and
 * one call per shard that has a member online (a DM's: its two members' shards), so a
 * notice costs the room at most the number of shards, never the number of members.
 *
 * Edits and deletes go the same way (`changed`, with the highest seq they touched), once
 * they are in D1: a client whose row they can change reads it there again, so its counts are
 * exactly what a reload would show. An edit that adds a mention names the people it adds,
 * and quotes the edited message.
 */
import { chatKind, type RoomKind } from '../shared/chat-kind';
import { mentionsIn } from '../shared/mentions';
import type { RoomEvent } from '../shared/protocol';
import { byShard, hubStub } from './hub-shards';
import type { HubSubscribers } from './hub-subscribers';
import { messageAt } from './message-rows';
import type { RoomInfo } from './room-info';

const ACTIVITY_INTERVAL_MS = 250;
/**
 * `@here` reaches the members online in the room when it is sent, while at most this many
 * are: past that it is nobody's mention (a crowd's worth of D1 rows per message otherwise).
 */
export const HERE_MAX_ONLINE = 500;
/** The chats where `@here` reaches anyone: named rooms (not DMs, not the global room). */
export const HERE_REACHES: ReadonlySet<RoomKind> = new Set(['public']);

export class ActivityNotices {
  private count = 0;
  private last: RoomEvent | null = null;
  /** Who the messages since the previous notice mentioned by id (or `here`), and by whom. */
  private readonly mentioned = new Map<string, Set<string>>();
  /** Who each `@here` since the previous notice reached, and its author, by the message's seq. */
  private readonly here = new Map<number, { author: string; reached: string[] }>();
  /** Messages were edited or deleted since the previous notice. */
  private changed = false;
  /** The highest seq of a message edited or deleted since the previous notice. */
  private changedSeq = 0;
  /** The newest edit since the previous notice that added a mention: the notice quotes it. */
  private mentionEdit: number | null = null;
  /** When the newest of them happened (the chat's activity time moves with it, as in D1). */
  private changedAt = 0;
  private timer = false;

  constructor(
    private readonly env: Env,
    private readonly subscribers: HubSubscribers,
    private readonly room: () => { info: RoomInfo | null; lastSeq: number; private: boolean },
    /** The ids of everyone online in the room now (its sockets and its relays'). */
    private readonly online: () => string[],
    /** Resolves once the log is in D1 up to a seq (a changed chat's row is read there). */
    private readonly copied: (seq: number) => Promise<void>,
  ) {}

  /**
   * A new message, an edit (`added`: the mentions it adds, `editor` who made it) or a
   * delete.
   */
  note(event: RoomEvent, added: string[] = [], editor = ''): void {
    if (event.type === 'edit' || event.type === 'delete') {
      this.changed = true;
      this.changedSeq = Math.max(this.changedSeq, event.target);
      this.changedAt = event.type === 'edit' ? event.editedAt : event.deletedAt;
      for (const id of added) this.mention(id, editor);
      if (added.length > 0) this.mentionEdit = event.target;
    }
    if (event.type === 'message') {
      this.count += 1;
      this.last = event;
      const author = event.message.author.id;
      const ids = mentionsIn(event.message.text);
      for (const id of ids) this.mention(id, author);
      const kind = this.room().info?.kind;
      // Not in the global room: everyone lands there, guests included, and any of them could
      // ring everyone who has it open (HERE_REACHES).
      if (ids.includes('here') && kind !== undefined && HERE_REACHES.has(kind)) {
        // Taken now, at the send: who had the room open when @here was said.
        const online = this.online();
        if (online.length <= HERE_MAX_ONLINE)
          this.here.set(event.seq, {
            author,
            reached: online.filter((id) => id !== author),
          });
      }
    }
    if (this.timer) return;
    this.timer = true;
    setTimeout(() => void this.send(), ACTIVITY_INTERVAL_MS);
  }

  private async send(): Promise<void> {
    const { count, last, mentionEdit, changedAt, changed, changedSeq } = this;
    const mentioned = [...this.mentioned.keys()].slice(0, 50);
    // Who mentioned whom, by id or by a reached `@here`: each reader's hub shard counts a
    // mention only from someone that reader does not block (as GET /api/chats does).
    const mentions: [string, string][] = [
      // Every person named, not only the notice's first 50 (`mentioned`, for display).
      ...[...this.mentioned.keys()]
        .filter((id) => id !== 'here')
        .flatMap((id) => [...this.mentioned.get(id)!].map((by): [string, string] => [id, by])),
      ...[...this.here.values()].flatMap(({ author, reached }) =>
        reached.map((id): [string, string] => [id, author]),
      ),
    ];
    const here = new Map([...this.here].map(([seq, { reached }]) => [seq, reached]));
    this.count = 0;
    this.last = null;
    this.mentioned.clear();
    this.here.clear();
    this.changed = false;
    this.changedSeq = 0;
    this.mentionEdit = null;
    this.changedAt = 0;
    this.timer = false;
    // Taken before the copy below: once it is done, D1 has every event up to `lastSeq`.
    const { info, lastSeq } = this.room();
    if (!info || (last?.type !== 'message' && !changed)) return;
    if (here.size > 0) await this.recordHere(info.id, here);
    let quoted = last?.type === 'message' ? last.message : null;
    if (changed) {
      try {
        await this.copied(lastSeq);
        if (!quoted && mentionEdit !== null)
          quoted = await messageAt(this.env.DB, info.id, mentionEdit);
      } catch (err) {
        // The notice still goes: a client re-reading early sees the change at its next read.
        console.error('changes not in D1 before their notice', info.id, err);
      }
    }
    // Read after the copy: the room may have been deleted meanwhile.
    const { info: now, private: isPrivate } = this.room();
    if (!now) return;
    const byReader = new Map<string, [string, string][]>();
    for (const pair of mentions) byReader.set(pair[0], [...(byReader.get(pair[0]) ?? []), pair]);
    const reached = byShard(this.env, byReader.keys());
    const frame = {
      type: 'activity' as const,
      roomId: info.id,
      kind: chatKind(info.kind, isPrivate),
      seq: lastSeq,
      count,
      at: Math.max(last?.type === 'message' ? last.message.createdAt : 0, changedAt),
      last: quoted,
      ...(mentioned.length > 0 && { mentioned }),
      ...(changed && { changed, changedSeq }),
    };
    const members = info.members ?? null;
    const shards = members ? [...byShard(this.env, members).keys()] : this.subscribers.shards();
    await Promise.all(
      shards.map(async (shard) => {
        try {
          const { unsubscribe } = await hubStub(this.env, shard).activity(
            frame,
            members,
            (reached.get(shard) ?? []).flatMap((id) => byReader.get(id)!),
          );
          if (unsubscribe !== undefined) this.subscribers.remove(shard, unsubscribe);
        } catch (err) {
          console.error('activity notice failed', shard, err);
        }
      }),
    );
  }

  private mention(id: string, by: string): void {
    this.mentioned.set(id, (this.mentioned.get(id) ?? new Set()).add(by));
  }

  /** Who each `@here` reached, for the chat list's mention counts (GET /api/chats). */
  private async recordHere(roomId: string, here: Map<number, string[]>): Promise<void> {
    const db = this.env.DB;
    try {
      await db.batch(
        [...here].map(([seq, ids]) =>
          db
            .prepare(
              'INSERT OR IGNORE INTO here_mentions (room_id, seq, user_id) SELECT ?1, ?2, value FROM json_each(?3)',
            )
            .bind(roomId, seq, JSON.stringify(ids)),
        ),
      );
    } catch (err) {
      // The live notices still say it; only the chat list's count would miss it.
      console.error('here mentions not recorded', roomId, err);
    }
  }
}
