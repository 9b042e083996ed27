import { Dialog } from '../ui/Dialog';
import { avatarColor } from '../ui/color';
import type { PeopleSearch } from './people';

export function FindPeopleDialog({
  people,
  onClose,
}: {
  people: PeopleSearch;
  onClose: () => void;
}) {
  const results = people.results.value;
  const query = people.query.value.trim();
  return (
    <Dialog title="Find people" testId="find-people" onClose={onClose}>
      <label class="visually-hidden" for="people-search">
        Search people by name
      </label>
      <input
        id="people-search"
        data-testid="people-search"
        type="search"
        placeholder="Search by name"
        value={people.query.value}
        onInput={(e) => people.setQuery(e.currentTarget.value)}
        autoFocus
        autocomplete="off"
      />
      {people.error.value && (
        <p class="form-error" role="alert">
          {people.error.value}
        </p>
      )}
      <ul class="room-list" aria-live="polite">
        {results.map((u) => (
          <li key={u.id} class="room-row">
            <span class="person">
              <span
                class="chat-icon avatar"
                aria-hidden="true"
                style={{ background: avatarColor(u) }}
              >
                {[...u.name][0]?.toUpperCase()}
              </span>
              <bdi>{u.name}</bdi>
              {u.guest && <span class="tag">guest</span>}
            </span>
            <button
              type="button"
              class="primary"
              data-testid="person-result"
              data-user-id={u.id}
              aria-label={`Message ${u.name}`}
              onClick={() => void people.openDm(u.id).then((ok) => ok && onClose())}
            >
              Message
            </button>
          </li>
        ))}
        {query && !people.searching.value && !results.length && (
          <li class="placeholder">Nobody by that name.</li>
        )}
      </ul>
    </Dialog>
  );
}
