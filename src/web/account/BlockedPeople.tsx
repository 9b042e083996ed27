/** The people this user blocks, each with Unblock (blocking is done from a profile card). */
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { shownName } from '../../shared/profile';
import type { UserRef } from '../../shared/protocol';
import type { Http } from '../api/http';
import { loadBlocked, setBlocked } from '../profile/blocked-api';
import { FormError } from '../ui/Field';
import { messageOf } from './api';

export function BlockedPeople({ http }: { http: Pick<Http, 'get' | 'send'> }) {
  const list = useSignal<UserRef[] | null>(null);
  const error = useSignal<string | null>(null);
  const status = useSignal<string | null>(null);

  useEffect(() => {
    loadBlocked(http).then(
      (users) => (list.value = users),
      (err: unknown) => (error.value = messageOf(err, 'Could not load the people you blocked.')),
    );
  }, []);

  async function unblock(user: UserRef) {
    error.value = null;
    try {
      await setBlocked(http, user.id, false);
      list.value = (list.value ?? []).filter((u) => u.id !== user.id);
      status.value = `${shownName(user)} unblocked.`;
    } catch (err) {
      error.value = messageOf(err, 'Could not unblock them.');
    }
  }

  return (
    <div class="stack" data-testid="blocked-people">
      <FormError error={error.value} />
      {list.value === null && !error.value && <p class="hint">Loading…</p>}
      {list.value?.length === 0 && (
        <p class="hint">Nobody. Block someone from their profile card (click their name).</p>
      )}
      {list.value && list.value.length > 0 && (
        <ul class="session-list">
          {list.value.map((u) => (
            <li key={u.id} data-testid="blocked-person">
              <div>
                <strong>
                  <bdi>{shownName(u)}</bdi>
                </strong>{' '}
                <span class="hint">
                  <bdi>@{u.name}</bdi>
                </span>
              </div>
              <button
                type="button"
                class="link-button"
                data-testid="blocked-unblock"
                aria-label={`Unblock ${shownName(u)}`}
                onClick={() => void unblock(u)}
              >
                Unblock
              </button>
            </li>
          ))}
        </ul>
      )}
      {status.value && <p role="status">{status.value}</p>}
    </div>
  );
}
