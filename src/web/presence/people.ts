/**
 * Everyone the client has heard of, by id, with their current name and colour. Messages,
 * notices and lists show a person through this, never through the copy a message carried,
 * so a rename reaches every message at once and a newcomer who takes a freed name never
 * appears on someone else's messages.
 */
import { signal } from '@preact/signals';
import type { UserRef } from '../../shared/protocol';

/** `lookup`: asks the server for someone known only by id (once per id per page). */
export function createPeople(lookup?: (id: string) => Promise<UserRef>) {
  const byId = signal<ReadonlyMap<string, UserRef>>(new Map());
  const asked = new Set<string>();

  function put(users: readonly UserRef[], current: boolean) {
    let next: Map<string, UserRef> | null = null;
    for (const u of users) {
      const known = (next ?? byId.peek()).get(u.id);
      // A message's author copy only fills a gap; hello, presence and `user` frames are current.
      if (known && (!current || sameRef(known, u))) continue;
      next ??= new Map(byId.peek());
      next.set(u.id, u);
    }
    if (next) byId.value = next;
  }

  return {
    /** The person as last announced; `ref` itself when nothing newer is known. */
    current: (ref: UserRef): UserRef => byId.value.get(ref.id) ?? ref,
    /**
     * A name for an id alone (a reaction's list, a mention); 'someone' until it is known —
     * then it is looked up, and whoever read it here re-renders with the name.
     */
    nameOf(id: string): string {
      const known = byId.value.get(id);
      if (known) return known.name;
      if (lookup && !asked.has(id)) {
        asked.add(id);
        lookup(id).then(
          (user) => put([user], false),
          () => {}, // an unknown id stays 'someone'
        );
      }
      return 'someone';
    },
    /** From hello, online lists, presence and `user` frames: the server's current record. */
    update: (...users: UserRef[]) => put(users, true),
    /** From stored messages: known only until something current arrives. */
    learn: (users: readonly UserRef[]) => put(users, false),
  };
}

export type People = ReturnType<typeof createPeople>;

// Every field counts: a new avatar, status or away/DND must show too.
const sameRef = (a: UserRef, b: UserRef) => JSON.stringify(a) === JSON.stringify(b);
