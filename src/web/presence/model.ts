/** Who is online, as a set of users kept in step with hello/online/offline frames. */
import { computed, signal } from '@preact/signals';
import type { UserRef } from '../../shared/protocol';

export function createPresence() {
  const byId = signal<ReadonlyMap<string, UserRef>>(new Map());
  const users = computed(() =>
    [...byId.value.values()].sort((a, b) => a.name.localeCompare(b.name)),
  );
  return {
    users,
    has: (id: string) => byId.value.has(id),
    reset(list: UserRef[]) {
      byId.value = new Map(list.map((u) => [u.id, u]));
    },
    online(user: UserRef) {
      byId.value = new Map(byId.value).set(user.id, user);
    },
    /** Someone's name or colour changed: shown anew if they are in the list. */
    renamed(user: UserRef) {
      if (byId.peek().has(user.id)) byId.value = new Map(byId.peek()).set(user.id, user);
    },
    offline(user: UserRef) {
      const next = new Map(byId.value);
      next.delete(user.id);
      byId.value = next;
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
