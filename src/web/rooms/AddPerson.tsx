/**
 * "Add a person by name" for the owner and moderators (the room's settings and the members
 * dialog): find people by name, add one. The box empties once someone is added, ready for
 * the next name.
 */
import { useSignal } from '@preact/signals';
import { nameWithHandle, shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';
import { adminApiOf } from './api';
import type { RoomState } from './model';

interface AddPersonProps {
  room: RoomState;
  /** Adds them and says how it went: true when they were added. */
  add: (user: UserRef) => Promise<boolean>;
  autoFocus?: boolean;
}

export function AddPerson({ room, add, autoFocus }: AddPersonProps) {
  const who = useSignal('');
  const found = useSignal<UserRef[]>([]);
  // Only the answer to what the box says now is shown (an older, slower one is dropped).
  const asked = useSignal(0);
  return (
    <>
      <label for="room-add-person">Add a person by name</label>
      <input
        id="room-add-person"
        data-testid="room-add-person"
        value={who.value}
        autoFocus={autoFocus}
        autocomplete="off"
        onInput={(e) => {
          who.value = e.currentTarget.value;
          const prefix = who.value.trim();
          const mine = ++asked.value;
          if (!prefix) return void (found.value = []);
          void adminApiOf(room)
            .users(prefix)
            .then((list) => mine === asked.peek() && (found.value = list));
        }}
      />
      <ul class="settings-list" data-testid="room-add-found">
        {found.value.map((u) => (
          <li key={u.id}>
            <bdi>{nameWithHandle(u)}</bdi>{' '}
            <button
              type="button"
              class="link-button"
              data-testid="person-add"
              aria-label={`Add ${shownName(u)}`}
              onClick={() =>
                void add(u).then((added) => {
                  if (!added) return;
                  asked.value += 1;
                  who.value = '';
                  found.value = [];
                  document.getElementById('room-add-person')?.focus();
                })
              }
            >
              Add
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
