import { signal } from '@preact/signals';
import { GROUP_DM_MAX_MEMBERS } from '../../shared/dm';
import { nameWithHandle, shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';
import { Dialog } from '../ui/Dialog';
import { FormError } from '../ui/Field';
import { SearchField } from '../ui/SearchField';
import { avatarColor } from '../ui/color';
import type { PeopleSearch } from './people';
import './group.css';

/**
 * Find people by name: "Message" opens a DM with one; the checkboxes pick several (2–7) for
 * a group DM, which "Start group" opens. Picked people stay listed (and removable) while the
 * search changes, so a group can be put together from several searches.
 */
/** People picked for a group DM, in the order picked; kept while the dialog is closed. */
const picked = signal<readonly UserRef[]>([]);
/** At most 7 others: the group's eighth person is the one starting it. */
const MAX_PICKED = GROUP_DM_MAX_MEMBERS - 1;

function toggle(user: UserRef) {
  const now = picked.peek();
  picked.value = now.some((u) => u.id === user.id)
    ? now.filter((u) => u.id !== user.id)
    : [...now, user];
}

function startGroup(people: PeopleSearch, onClose: () => void) {
  void people.openGroup(picked.peek().map((u) => u.id)).then((ok) => {
    if (!ok) return;
    picked.value = [];
    onClose();
  });
}

export function FindPeopleDialog({
  people,
  onClose,
}: {
  people: PeopleSearch;
  onClose: () => void;
}) {
  const results = people.results.value;
  const query = people.query.value.trim();
  const chosen = picked.value;
  const pickedIds = new Set(chosen.map((u) => u.id));
  const full = chosen.length >= MAX_PICKED;
  return (
    <Dialog title="Find people" testId="find-people" onClose={onClose}>
      <SearchField
        id="people-search"
        testId="people-search"
        label="Search people by name"
        placeholder="Search by name"
        value={people.query.value}
        onInput={people.setQuery}
      />
      <FormError error={people.error.value} />
      <ul class="room-list" aria-live="polite">
        {results.map((u) => {
          const checked = pickedIds.has(u.id);
          return (
            <li key={u.id} class="room-row">
              <span class="person">
                <input
                  type="checkbox"
                  id={`pick-${u.id}`}
                  data-testid="person-pick"
                  data-user-id={u.id}
                  checked={checked}
                  disabled={!checked && full}
                  onChange={() => toggle(u)}
                />
                <label for={`pick-${u.id}`} class="person">
                  <span
                    class="chat-icon avatar"
                    aria-hidden="true"
                    style={{ background: avatarColor(u) }}
                  >
                    {[...shownName(u)][0]?.toUpperCase()}
                  </span>
                  <span class="visually-hidden">Add to group: </span>
                  <bdi>{nameWithHandle(u)}</bdi>
                </label>
                {u.guest && <span class="tag">guest</span>}
              </span>
              <button
                type="button"
                class="primary"
                data-testid="person-result"
                data-user-id={u.id}
                aria-label={`Message ${shownName(u)}`}
                onClick={() => void people.openDm(u.id).then((ok) => ok && onClose())}
              >
                Message
              </button>
            </li>
          );
        })}
        {query && !people.searching.value && !results.length && (
          <li class="placeholder">Nobody by that name.</li>
        )}
      </ul>
      {chosen.length > 0 && (
        <section aria-label="New group" class="group-start" data-testid="group-picker">
          <ul class="picked-people" aria-label="People in the new group">
            {chosen.map((u) => (
              <li key={u.id}>
                <button
                  type="button"
                  class="chip"
                  data-testid="picked-person"
                  aria-label={`Remove ${shownName(u)} from the group`}
                  onClick={() => toggle(u)}
                >
                  <bdi>{shownName(u)}</bdi> ×
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="primary"
            data-testid="start-group"
            disabled={chosen.length < 2}
            onClick={() => startGroup(people, onClose)}
          >
            Start group ({chosen.length + 1} people)
          </button>
          <span class="hint" aria-live="polite">
            {chosen.length < 2
              ? 'Pick at least 2 people for a group.'
              : full
                ? `A group has at most ${GROUP_DM_MAX_MEMBERS} people.`
                : ''}
          </span>
        </section>
      )}
    </Dialog>
  );
}
