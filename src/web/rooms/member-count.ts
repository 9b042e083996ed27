/**
 * How many people are in the open room, for its header and members dialog: the count the
 * room's admin answer reads from D1 (rooms/model.ts), then the count each join, leave or
 * removal carries in its notice (`memberCount`, read in the same D1 transaction as the change,
 * so exact as of that notice). A room of thousands online thus reads D1 once per change, not
 * once per open tab. A notice stored before notices carried the count makes the client read
 * the admin answer again (coalesced: one read at a time, and one more if any came meanwhile).
 * Null for a DM (its name is its people) and the global room (everyone is in it). App-only:
 * the widget, which shares the conversation chunk, shows none.
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
    const count = last.notice.memberCount;
    const admin = conv.room.admin.peek();
    if (count !== undefined) {
      if (admin && admin.memberCount !== undefined)
        conv.room.admin.value = { ...admin, memberCount: count };
    } else if (last.notice.kind === 'joined' || last.notice.kind === 'left') read();
  });
}
