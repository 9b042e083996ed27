/**
 * Everyone the client has heard of, by id, with their current name and colour. Messages,
 * notices and lists show a person through this, never through the copy a message carried,
 * so a rename reaches every message at once and a newcomer who takes a freed name never
 * appears on someone else's messages.
 */
import { signal } from '@preact/signals';
import { shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';

/** `lookup`: asks the server for someone known only by id (once per id per page). */
export function createPeople(lookup?: (id: string) => Promise<UserRef>) {
  const byId = signal<ReadonlyMap<string, UserRef>>(new Map());
  // Ids whose entry was only learned (a copy that fills a gap), never announced as current.
  const learnedOnly = new Set<string>();
  const asked = new Set<string>();

  function put(users: readonly UserRef[], current: boolean) {
    let next: Map<string, UserRef> | null = null;
    for (const u of users) {
      const known = (next ?? byId.peek()).get(u.id);
      // A copy only fills a gap; hello, presence and `user` frames are current.
      if (known && (!current || (sameRef(known, u) && !learnedOnly.has(u.id)))) continue;
      if (current) learnedOnly.delete(u.id);
      else learnedOnly.add(u.id);
      next ??= new Map(byId.peek());
      next.set(u.id, u);
    }
    if (next) byId.value = next;
  }

  /** Whoever `id` is known as, looking them up once when nobody is. */
  function known(id: string): UserRef | undefined {
    const user = byId.value.get(id);
    if (!user && lookup && !asked.has(id)) {
      asked.add(id);
      lookup(id).then(
        (found) => put([found], false),
        () => {}, // an unknown id stays 'someone'
      );
    }
    return user;
  }

  return {
    /**
     * The person as last announced; else `ref` itself, the copy the server sent with what
     * shows them (a learned copy, which may be older or lack the display name, never
     * stands in for it).
     */
    current: (ref: UserRef): UserRef => {
      const user = byId.value.get(ref.id);
      return user && !learnedOnly.has(ref.id) ? user : ref;
    },
    /**
     * A username for an id alone (a mention, which is by handle); 'someone' until it is
     * known — then it is looked up, and whoever read it here re-renders with the name.
     */
    nameOf: (id: string): string => known(id)?.name ?? 'someone',
    /** As `nameOf`, but the name messages show (display name, else username). */
    shownNameOf(id: string): string {
      const user = known(id);
      return user ? shownName(user) : 'someone';
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
