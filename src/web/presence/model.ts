/**
 * Who is online, as a set of users kept in step with hello/online/offline frames, and how
 * many: a crowded room names only some of them (`presence` snapshots carry the count).
 */
import { computed, signal } from '@preact/signals';
import { shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';

export function createPresence() {
  const byId = signal<ReadonlyMap<string, UserRef>>(new Map());
  const users = computed(() =>
    [...byId.value.values()].sort((a, b) => shownName(a).localeCompare(shownName(b))),
  );
  const count = signal(0);
  return {
    users,
    count,
    has: (id: string) => byId.value.has(id),
    /** The person as this list last heard of them, if online. */
    get: (id: string) => byId.value.get(id),
    reset(list: UserRef[], total = list.length) {
      byId.value = new Map(list.map((u) => [u.id, u]));
      count.value = total;
    },
    online(user: UserRef) {
      if (!byId.peek().has(user.id)) count.value += 1;
      byId.value = new Map(byId.value).set(user.id, user);
    },
    /** Someone's name or colour changed: shown anew if they are in the list. */
    renamed(user: UserRef) {
      if (byId.peek().has(user.id)) byId.value = new Map(byId.peek()).set(user.id, user);
    },
    offline(user: UserRef) {
      const next = new Map(byId.value);
      if (next.delete(user.id)) count.value -= 1;
      byId.value = next;
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
