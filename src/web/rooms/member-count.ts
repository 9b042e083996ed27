/**
 * How many people are in the open room, for its header and members dialog: the count the
 * room's admin answer reads from D1 (rooms/model.ts). Moderation notices (added, removed,
 * banned…) fetch that answer again already; here a join or leave does too, once it is the
 * newest notice (coalesced: one read at a time, and one more if any came meanwhile). Counting
 * notices on top of a fetched count cannot be exact: a notice may be read before or after the
 * count that already includes it. Null for a DM (its name is its people) and the global room
 * (everyone is in it). App-only: the widget, which shares the conversation chunk, shows none.
 */
import { effect } from '@preact/signals';
import type { Conversation } from '../conversation/model';

export const memberCount = (conv: Conversation): number | null =>
  conv.room.admin.value?.memberCount ?? null;

/** Keeps `conv`'s count current as people join and leave; returns the stop function. */
export function followMemberCount(conv: Conversation): () => void {
  let newest = 0;
  let reading: Promise<void> | null = null;
  let again = false;
  const read = (): void => {
    if (reading) return void (again = true);
    reading = conv.room.refresh().finally(() => {
      reading = null;
      if (again) ((again = false), read());
    });
  };
  return effect(() => {
    const last = conv.notices.value.at(-1);
    if (!last || last.seq <= newest) return;
    newest = last.seq;
    if (last.notice.kind === 'joined' || last.notice.kind === 'left') read();
  });
}
